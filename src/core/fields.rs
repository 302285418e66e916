//! Configuration read field by field, each field's value as [`Json`]: how the WebAssembly shell
//! reads the objects JavaScript passes, which also hold functions.

use super::config::{ClientConfigInput, Headers, StartRequestInput, TimingsInput};
use super::error::{Error, ErrorKind};
use super::json::Json;

/// The value of the field named, `null` when absent, or why it cannot be read.
pub type Field<'a> = &'a mut dyn FnMut(&str) -> Result<Json, String>;

/// Reads one field of `what` (`config`, `request`) with `read`; a failure is `invalid_config`.
fn field<T>(get: Field, what: &str, name: &str, read: fn(Json) -> Option<T>, expected: &str) -> Result<T, Error> {
    read(value(get, what, name)?).ok_or_else(|| invalid(what, name, "must be ", expected))
}

/// The value of one field, whatever its type.
#[inline(never)]
fn value(get: Field, what: &str, name: &str) -> Result<Json, Error> {
    get(name).map_err(|e| invalid(what, name, "is not valid: ", &e))
}

#[cold]
fn invalid(what: &str, name: &str, why: &str, detail: &str) -> Error {
    Error::new(ErrorKind::InvalidConfig, [what, ".", name, " ", why, detail].concat())
}

fn string(value: Json) -> Option<String> {
    value.into_string()
}

fn optional<T>(value: Json, read: fn(Json) -> Option<T>) -> Option<Option<T>> {
    match value {
        Json::Null => Some(None),
        value => read(value).map(Some),
    }
}

/// A number of milliseconds of the configuration, when given.
fn ms(get: Field, name: &str) -> Result<Option<f64>, Error> {
    field(get, "config", name, |v| optional(v, |v| v.as_f64()), "a number")
}

impl ClientConfigInput {
    /// Reads `orgSlug`, `baseUrl` and `headers`.
    pub fn read(get: Field) -> Result<Self, Error> {
        Ok(Self {
            org_slug: field(get, "config", "orgSlug", string, "a string")?,
            base_url: field(get, "config", "baseUrl", |v| optional(v, string), "a string")?,
            headers: field(
                get,
                "config",
                "headers",
                |v| {
                    optional(v, |v| match v {
                        Json::Object(entries) => entries
                            .into_iter()
                            .map(|(name, value)| value.into_string().map(|value| (name, value)))
                            .collect::<Option<_>>()
                            .map(Headers),
                        _ => None,
                    })
                },
                "an object of header names and string values",
            )?,
        })
    }
}

impl StartRequestInput {
    /// Reads `query`, `projectIds`, `strategy`, `referrer` and `options` of `what`.
    pub fn read(get: Field, what: &str) -> Result<Self, Error> {
        Ok(Self {
            query: field(get, what, "query", |v| optional(v, string).map(Option::unwrap_or_default), "a string")?,
            project_ids: field(
                get,
                what,
                "projectIds",
                |v| v.as_array().and_then(|ids| ids.iter().map(Json::as_f64).collect()),
                "an array of numbers",
            )?,
            strategy: field(get, what, "strategy", string, "a string")?,
            referrer: field(get, what, "referrer", |v| optional(v, string), "a string")?,
            options: field(get, what, "options", |v| optional(v, |v| v.is_object().then_some(v)), "a JSON object")?,
        })
    }
}

impl TimingsInput {
    /// Reads the timings of a poller's configuration.
    pub fn read(get: Field) -> Result<Self, Error> {
        Ok(Self {
            poll_interval_ms: ms(get, "pollIntervalMs")?,
            error_poll_interval_ms: ms(get, "errorPollIntervalMs")?,
            max_error_window_ms: ms(get, "maxErrorWindowMs")?,
            stale_after_ms: ms(get, "staleAfterMs")?,
            max_run_ms: ms(get, "maxRunMs")?,
            request_timeout_ms: ms(get, "requestTimeoutMs")?,
            pause_when_hidden: field(
                get,
                "config",
                "pauseWhenHidden",
                |v| {
                    optional(v, |v| match v {
                        Json::Bool(b) => Some(b),
                        _ => None,
                    })
                },
                "a boolean",
            )?,
        })
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde_json::json;

    fn from(value: serde_json::Value) -> impl FnMut(&str) -> Result<Json, String> {
        move |name| serde_json::from_value(value.get(name).cloned().unwrap_or_default()).map_err(|e| e.to_string())
    }

    #[test]
    fn fields_are_read_by_name_and_checked() {
        let config = json!({"orgSlug": "acme", "headers": {"X-A": "1"}, "pollIntervalMs": 10, "fetch": null});
        let client = ClientConfigInput::read(&mut from(config.clone())).unwrap();
        assert_eq!((client.org_slug.as_str(), client.base_url), ("acme", None));
        assert_eq!(client.headers, Some(Headers(vec![("X-A".into(), "1".into())])));
        let timings = TimingsInput::read(&mut from(config)).unwrap();
        assert_eq!(crate::core::Timings::new(&timings).unwrap().poll_interval, 10);
        let request = json!({"projectIds": [1, 2], "strategy": "Traces", "options": {"a": 1}});
        let input = StartRequestInput::read(&mut from(request), "request").unwrap();
        assert_eq!((input.query.as_str(), input.project_ids, input.options.is_some()), ("", vec![1.0, 2.0], true));
        for (bad, name) in [
            (json!({}), "config.orgSlug must be a string"),
            (json!({"orgSlug": 1}), "config.orgSlug must be a string"),
            (json!({"orgSlug": "a", "headers": {"X": 1}}), "config.headers must be an object"),
            (json!({"orgSlug": "a", "baseUrl": []}), "config.baseUrl must be a string"),
        ] {
            let error = ClientConfigInput::read(&mut from(bad)).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidConfig);
            assert!(error.message.starts_with(name), "{}", error.message);
        }
        for bad in [json!({"pollIntervalMs": "1"}), json!({"pauseWhenHidden": 1}), json!({"maxRunMs": [1]})] {
            assert_eq!(TimingsInput::read(&mut from(bad)).unwrap_err().kind, ErrorKind::InvalidConfig);
        }
        for bad in [
            json!({"strategy": "T"}),
            json!({"projectIds": ["1"], "strategy": "T"}),
            json!({"projectIds": [1], "strategy": "T", "options": [1]}),
            json!({"projectIds": [1], "strategy": "T", "query": 2}),
        ] {
            assert_eq!(StartRequestInput::read(&mut from(bad), "request").unwrap_err().kind, ErrorKind::InvalidConfig);
        }
    }
}
