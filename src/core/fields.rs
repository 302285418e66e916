//! The configuration objects JavaScript passes, declared once: each [`Field`] names what the
//! readers here read (through the [`Json`] reader: the objects also hold functions) and is what
//! the TypeScript interfaces `ClientConfig`, `StartRequest` and `PollerConfig` are generated from.

use super::config::{ClientConfigInput, Headers, StartRequestInput, TimingsInput};
use super::error::{Error, ErrorKind};
use super::json::{Json, Kind};
use crate::text;

/// One field of a configuration object as JavaScript passes it.
#[derive(Debug)]
pub struct Field {
    /// Its name.
    pub name: &'static str,
    /// Its TypeScript type.
    pub ts: &'static str,
    /// Whether it may be left out.
    pub optional: bool,
    /// What it means, for the declaration's doc comment.
    pub doc: &'static str,
}

const fn field(name: &'static str, ts: &'static str, optional: bool, doc: &'static str) -> Field {
    Field { name, ts, optional, doc }
}

/// `ClientConfig.orgSlug`.
pub const ORG_SLUG: Field = field("orgSlug", "string", false, "`[A-Za-z0-9_-]+`.");
/// `ClientConfig.baseUrl`.
pub const BASE_URL: Field = field("baseUrl", "string", true, "`/api/0` unless given; no `?` or `#`.");
/// `ClientConfig.headers`.
pub const HEADERS: Field = field("headers", "Record<string, string>", true, "Sent with every request.");
/// `ClientConfig.fetch`, read by the shell.
pub const FETCH: Field = field("fetch", "FetchLike", true, "The `fetch` to use: the global one unless given.");
/// `StartRequest.query`.
pub const QUERY: Field = field("query", "string", false, "The question, in plain words.");
/// `projectIds` of a start request or a poller.
pub const PROJECT_IDS: Field = field("projectIds", "number[]", false, "Integers; `-1` means all projects.");
/// `strategy` of a start request or a poller.
pub const STRATEGY: Field = field("strategy", "string", false, "The dataset, such as `\"Traces\"`.");
/// `referrer` of a start request or a poller.
pub const REFERRER: Field = field("referrer", "string", true, "`\"search_bar\"` unless given.");
/// `options` of a start request or a poller.
pub const OPTIONS: Field =
    field("options", "Record<string, unknown>", true, "Sent in the start request as `JSON.stringify` writes it.");
/// `PollerConfig.pollIntervalMs`.
pub const POLL_INTERVAL_MS: Field = field("pollIntervalMs", "number", true, "Wait after each handled answer; 500.");
/// `PollerConfig.errorPollIntervalMs`.
pub const ERROR_POLL_INTERVAL_MS: Field =
    field("errorPollIntervalMs", "number", true, "Wait between polls while they fail transiently; 2500.");
/// `PollerConfig.maxErrorWindowMs`.
pub const MAX_ERROR_WINDOW_MS: Field = field(
    "maxErrorWindowMs",
    "number",
    true,
    "How long polls may keep failing transiently before the run gives up; 60000.",
);
/// `PollerConfig.staleAfterMs`.
pub const STALE_AFTER_MS: Field = field(
    "staleAfterMs",
    "number",
    true,
    "A processing run without a new `updated_at` for this long times out; 120000.",
);
/// `PollerConfig.maxRunMs`.
pub const MAX_RUN_MS: Field = field("maxRunMs", "number", true, "A whole run times out after this long; 300000.");
/// `PollerConfig.requestTimeoutMs`.
pub const REQUEST_TIMEOUT_MS: Field = field(
    "requestTimeoutMs",
    "number",
    true,
    "One request unanswered for this long is aborted: a transient failure of kind `request_timeout`; 30000.",
);
/// `PollerConfig.pauseWhenHidden`.
pub const PAUSE_WHEN_HIDDEN: Field = field(
    "pauseWhenHidden",
    "boolean",
    true,
    "Stop polling while `document.visibilityState` is `\"hidden\"`; true. (Polling always stops while the browser is offline.)",
);
/// `PollerConfig.onSuccess`, read by the shell.
pub const ON_SUCCESS: Field = field(
    "onSuccess",
    "(finalResponse: FinalResponse) => void",
    true,
    "Called once per completed run with its `final_response`.",
);
/// `PollerConfig.onError`, read by the shell.
pub const ON_ERROR: Field =
    field("onError", "(error: AskSeerError) => void", true, "Called once per run that ends with an error.");

/// `ClientConfig`: where requests go and how they are sent.
pub const CLIENT_CONFIG: [&Field; 4] = [&ORG_SLUG, &BASE_URL, &HEADERS, &FETCH];
/// `StartRequest`: what to ask the agent.
pub const START_REQUEST: [&Field; 5] = [&QUERY, &PROJECT_IDS, &STRATEGY, &REFERRER, &OPTIONS];
/// The fields `PollerConfig` adds to `ClientConfig`.
pub const POLLER_CONFIG: [&Field; 13] = [
    &PROJECT_IDS,
    &STRATEGY,
    &REFERRER,
    &OPTIONS,
    &POLL_INTERVAL_MS,
    &ERROR_POLL_INTERVAL_MS,
    &MAX_ERROR_WINDOW_MS,
    &STALE_AFTER_MS,
    &MAX_RUN_MS,
    &REQUEST_TIMEOUT_MS,
    &PAUSE_WHEN_HIDDEN,
    &ON_SUCCESS,
    &ON_ERROR,
];

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
    Error::new(ErrorKind::InvalidConfig, text![what, ".", name, " must be ", expected])
}

/// A number of milliseconds of the configuration, when given.
fn duration<J: Json>(config: &J, name: &'static str) -> Result<Option<f64>, Error> {
    optional(config, "config", name, |v| v.number(), "a number")
}

impl ClientConfigInput {
    /// Reads `orgSlug`, `baseUrl` and `headers`.
    pub fn read<J: Json>(config: &J) -> Result<Self, Error> {
        Ok(Self {
            org_slug: required(config, "config", ORG_SLUG.name, |v| v.string(), "a string")?,
            base_url: optional(config, "config", BASE_URL.name, |v| v.string(), "a string")?,
            headers: optional(
                config,
                "config",
                HEADERS.name,
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
            query: optional(request, what, QUERY.name, |v| v.string(), "a string")?.unwrap_or_default(),
            project_ids: required(
                request,
                what,
                PROJECT_IDS.name,
                |v| v.items()?.iter().map(J::number).collect(),
                "an array of numbers",
            )?,
            strategy: required(request, what, STRATEGY.name, |v| v.string(), "a string")?,
            referrer: optional(request, what, REFERRER.name, |v| v.string(), "a string")?,
            options: optional(
                request,
                what,
                OPTIONS.name,
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
            poll_interval_ms: duration(config, POLL_INTERVAL_MS.name)?,
            error_poll_interval_ms: duration(config, ERROR_POLL_INTERVAL_MS.name)?,
            max_error_window_ms: duration(config, MAX_ERROR_WINDOW_MS.name)?,
            stale_after_ms: duration(config, STALE_AFTER_MS.name)?,
            max_run_ms: duration(config, MAX_RUN_MS.name)?,
            request_timeout_ms: duration(config, REQUEST_TIMEOUT_MS.name)?,
            pause_when_hidden: optional(config, "config", PAUSE_WHEN_HIDDEN.name, |v| v.boolean(), "a boolean")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The declarations state the defaults `Timings::default()` applies.
    #[test]
    fn declared_defaults_are_the_applied_ones() {
        let d = crate::core::Timings::default();
        for (field, default) in [
            (&POLL_INTERVAL_MS, d.poll_interval.to_string()),
            (&ERROR_POLL_INTERVAL_MS, d.error_poll_interval.to_string()),
            (&MAX_ERROR_WINDOW_MS, d.max_error_window.to_string()),
            (&STALE_AFTER_MS, d.stale_after.to_string()),
            (&MAX_RUN_MS, d.max_run.to_string()),
            (&REQUEST_TIMEOUT_MS, d.request_timeout.to_string()),
            (&PAUSE_WHEN_HIDDEN, d.pause_when_hidden.to_string()),
        ] {
            assert!(field.doc.contains(&format!("; {default}.")), "{}: {}", field.name, field.doc);
        }
    }

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
