//! Configuration read field by field through the [`Json`] reader: how the shells read the objects
//! JavaScript passes, which also hold functions.

use super::config::{ClientConfigInput, Headers, StartRequestInput, TimingsInput};
use super::error::{Error, ErrorKind};
use super::json::{Json, Kind};

/// Reads the field `name` of `what` (`config`, `request`) with `read`: `None` when it is absent
/// or `null`, `invalid_config` naming the field when `read` refuses it.
#[inline(never)]
fn optional<J: Json, T>(
    object: &J,
    what: &str,
    name: &'static str,
    read: fn(J) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, Error> {
    match object.get(name) {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) => read(value).map(Some).ok_or_else(|| invalid(what, name, expected)),
    }
}

/// Reads a field that must be present.
fn required<J: Json, T>(
    object: &J,
    what: &str,
    name: &'static str,
    read: fn(J) -> Option<T>,
    expected: &str,
) -> Result<T, Error> {
    optional(object, what, name, read, expected)?.ok_or_else(|| invalid(what, name, expected))
}

#[cold]
fn invalid(what: &str, name: &str, expected: &str) -> Error {
    Error::new(ErrorKind::InvalidConfig, [what, ".", name, " must be ", expected].concat())
}

/// A number of milliseconds of the configuration, when given.
fn ms<J: Json>(config: &J, name: &'static str) -> Result<Option<f64>, Error> {
    optional(config, "config", name, |v| v.number(), "a number")
}

impl ClientConfigInput {
    /// Reads `orgSlug`, `baseUrl` and `headers`.
    pub fn read<J: Json>(config: &J) -> Result<Self, Error> {
        Ok(Self {
            org_slug: required(config, "config", "orgSlug", |v| v.string(), "a string")?,
            base_url: optional(config, "config", "baseUrl", |v| v.string(), "a string")?,
            headers: optional(
                config,
                "config",
                "headers",
                |v| {
                    v.entries()?
                        .into_iter()
                        .map(|(name, value)| value.string().map(|value| (name, value)))
                        .collect::<Option<_>>()
                        .map(Headers)
                },
                "an object of header names and string values",
            )?,
        })
    }
}

impl StartRequestInput {
    /// Reads `query`, `projectIds`, `strategy`, `referrer` and `options` of `what`.
    pub fn read<J: Json>(request: &J, what: &str) -> Result<Self, Error> {
        Ok(Self {
            query: optional(request, what, "query", |v| v.string(), "a string")?.unwrap_or_default(),
            project_ids: required(
                request,
                what,
                "projectIds",
                |v| v.items()?.iter().map(J::number).collect(),
                "an array of numbers",
            )?,
            strategy: required(request, what, "strategy", |v| v.string(), "a string")?,
            referrer: optional(request, what, "referrer", |v| v.string(), "a string")?,
            options: optional(
                request,
                what,
                "options",
                |v| if v.kind() == Kind::Object { v.text().ok() } else { None },
                "a JSON object",
            )?,
        })
    }
}

impl TimingsInput {
    /// Reads the timings of a poller's configuration.
    pub fn read<J: Json>(config: &J) -> Result<Self, Error> {
        Ok(Self {
            poll_interval_ms: ms(config, "pollIntervalMs")?,
            error_poll_interval_ms: ms(config, "errorPollIntervalMs")?,
            max_error_window_ms: ms(config, "maxErrorWindowMs")?,
            stale_after_ms: ms(config, "staleAfterMs")?,
            max_run_ms: ms(config, "maxRunMs")?,
            request_timeout_ms: ms(config, "requestTimeoutMs")?,
            pause_when_hidden: optional(config, "config", "pauseWhenHidden", |v| v.boolean(), "a boolean")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_read_by_name_and_checked() {
        let config = json!({"orgSlug": "acme", "headers": {"X-A": "1"}, "pollIntervalMs": 10, "fetch": null});
        let client = ClientConfigInput::read(&config).unwrap();
        assert_eq!((client.org_slug.as_str(), client.base_url), ("acme", None));
        assert_eq!(client.headers, Some(Headers(vec![("X-A".into(), "1".into())])));
        let timings = TimingsInput::read(&config).unwrap();
        assert_eq!(crate::core::Timings::new(&timings).unwrap().poll_interval, 10);
        let request = json!({"projectIds": [1, 2], "strategy": "Traces", "options": {"a": 1e-30, "b": [5e-324]}});
        let input = StartRequestInput::read(&request, "request").unwrap();
        assert_eq!((input.query.as_str(), input.project_ids), ("", vec![1.0, 2.0]));
        assert_eq!(input.options.as_deref(), Some(r#"{"a":1e-30,"b":[5e-324]}"#));
        for (bad, name) in [
            (json!({}), "config.orgSlug must be a string"),
            (json!({"orgSlug": 1}), "config.orgSlug must be a string"),
            (json!({"orgSlug": "a", "headers": {"X": 1}}), "config.headers must be an object"),
            (json!({"orgSlug": "a", "headers": []}), "config.headers must be an object"),
            (json!({"orgSlug": "a", "baseUrl": []}), "config.baseUrl must be a string"),
        ] {
            let error = ClientConfigInput::read(&bad).unwrap_err();
            assert_eq!(error.kind, ErrorKind::InvalidConfig);
            assert!(error.message.starts_with(name), "{}", error.message);
        }
        for bad in [json!({"pollIntervalMs": "1"}), json!({"pauseWhenHidden": 1}), json!({"maxRunMs": [1]})] {
            assert_eq!(TimingsInput::read(&bad).unwrap_err().kind, ErrorKind::InvalidConfig);
        }
        for bad in [
            json!({"strategy": "T"}),
            json!({"projectIds": ["1"], "strategy": "T"}),
            json!({"projectIds": [1], "strategy": "T", "options": [1]}),
            json!({"projectIds": [1], "strategy": "T", "query": 2}),
        ] {
            assert_eq!(StartRequestInput::read(&bad, "request").unwrap_err().kind, ErrorKind::InvalidConfig);
        }
    }
}
