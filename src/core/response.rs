//! Turning HTTP answers of the start and state endpoints into ids, sessions or typed errors.

use super::body::Body;
use super::error::{Error, ErrorKind};
use super::json::Json;
use super::run_id::{RunId, pick_run_id, uuid};
use super::session::{Session, StateBody};
use crate::text;
use serde::Serialize;
use uuid::Uuid;

/// The largest body read, in UTF-8 bytes; a larger one is refused with `decode` before it is parsed.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// An HTTP answer as the shell read it.
#[derive(Debug)]
pub struct HttpResponse<'a, B: ?Sized> {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: &'a B,
}

impl<B: ?Sized> Clone for HttpResponse<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: ?Sized> Copy for HttpResponse<'_, B> {}

impl<B: Body + ?Sized> HttpResponse<'_, B> {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed, once it is known to be within the size limit, when it is a JSON object.
    fn object(&self, what: &str) -> Result<B::Json, Error> {
        if let Some(len) = self.body.len_over(MAX_BODY_BYTES) {
            return Err(too_large(what, len));
        }
        let not = |why: &str, detail: &str| {
            Error::new(ErrorKind::Decode, text![what, " body (HTTP ", self.status, ") is not ", why, detail])
        };
        match self.body.parse() {
            Ok(value) if value.is_object() => Ok(value),
            Ok(_) => Err(not("a JSON object", "")),
            Err(e) => Err(not("JSON: ", &e)),
        }
    }

    /// A non-2xx answer: the error, carrying the server's `detail` when the body has one, and
    /// the body itself when it is a JSON object, for whatever else it tells.
    fn failure(&self, what: &str) -> (Error, Option<B::Json>) {
        let body = self.object(what).ok();
        let detail = body.as_ref().and_then(|b| b.get_string("detail"));
        (Error::http(self.status, detail, what), body)
    }
}

/// What a failed start answer tells the caller.
#[derive(Clone, Debug, PartialEq)]
pub struct StartFailure {
    /// Why the start failed.
    pub error: Error,
    /// The UUID of a run the server created despite a 5xx answer, from its `retry_token`.
    pub retry_token: Option<Uuid>,
}

/// Reads the start endpoint's answer: the run id to poll, or why there is none.
pub fn decode_start<B: Body + ?Sized>(response: HttpResponse<'_, B>) -> Result<RunId, StartFailure> {
    let fail = |error| StartFailure { error, retry_token: None };
    if !response.is_success() {
        let (error, body) = response.failure("start request");
        let retry_token =
            body.filter(|_| response.status >= 500).and_then(|body| body.get("retry_token").and_then(|t| uuid(&t)));
        return Err(StartFailure { error, retry_token });
    }
    let body = response.object("start response").map_err(fail)?;
    pick_run_id(&body).map_err(fail)
}

/// A decoded 200 answer of the state endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct PollResult<J> {
    /// The session, `None` when the server does not know the run.
    pub session: Option<Session<J>>,
    /// Whether to poll again.
    pub keep_polling: bool,
    /// The run's UUID, when the body carries a valid one.
    pub sentry_run_id: Option<Uuid>,
}

// JavaScript's `PollResult`: what the shell makes of a `PollResult`.
/// One poll's outcome.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "PollResult", concrete(J = ())))]
pub struct PollResultView<'a, J> {
    /// `null` when the server does not know the run.
    #[cfg_attr(test, ts(type = "Session | null"))]
    pub session: Option<&'a J>,
    /// Whether the run is still going: `status == "processing"` or a step is running.
    pub keep_polling: bool,
    /// The run's UUID, when the state body carries a valid one.
    pub sentry_run_id: Option<String>,
}

/// Reads the state endpoint's answer.
pub fn decode_poll<B: Body + ?Sized>(response: HttpResponse<'_, B>) -> Result<PollResult<B::Json>, Error> {
    if !response.is_success() {
        return Err(response.failure("state request").0);
    }
    let body = response.object("state response")?;
    let body = StateBody::read(&body).map_err(|e| {
        Error::new(
            ErrorKind::Decode,
            text!["state response body (HTTP ", response.status, ") is not the expected JSON: ", e],
        )
    })?;
    Ok(PollResult {
        keep_polling: body.session.as_ref().is_some_and(Session::keep_polling),
        sentry_run_id: body.sentry_run_id.and_then(|id| Uuid::try_parse(&id).ok()),
        session: body.session,
    })
}

#[cold]
fn too_large(what: &str, len: usize) -> Error {
    Error::new(ErrorKind::Decode, text![what, " body of ", len, " bytes exceeds the ", MAX_BODY_BYTES, "-byte limit"])
}

/// Whether a failed poll is worth retrying: no answer, an undecodable body, 408, 429 or 5xx.
pub fn is_transient(error: &Error) -> bool {
    match error.kind {
        ErrorKind::Network | ErrorKind::RequestTimeout | ErrorKind::Decode => true,
        ErrorKind::Http => matches!(error.status, Some(408 | 429 | 500..=599)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn ok(body: &str) -> HttpResponse<'_, str> {
        HttpResponse { status: 200, body }
    }

    const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";

    #[test]
    fn start_fixtures() {
        let id = |name: &str| decode_start(ok(&fixture(name))).unwrap();
        assert_eq!(id("start-uuid.json").to_string(), UUID);
        assert_eq!(id("start-uuid-picked-up.json").numeric_run_id(), Some(4821));
        assert_eq!(id("start-legacy.json").to_string(), "4821");
    }

    #[test]
    fn start_500_carries_the_retry_token() {
        let body = fixture("start-500-retry-token.json");
        let failure = decode_start(HttpResponse { status: 500, body: body.as_str() }).unwrap_err();
        assert_eq!(failure.retry_token.map(|u| u.to_string()).as_deref(), Some(UUID));
        assert_eq!(failure.error.status, Some(500));
        assert_eq!(failure.error.detail.as_deref(), Some("Failed to start search agent"));
    }

    #[test]
    fn retry_token_is_ignored_below_500_and_when_malformed() {
        let body = format!(r#"{{"detail": "x", "retry_token": "{UUID}"}}"#);
        assert_eq!(decode_start(HttpResponse { status: 403, body: body.as_str() }).unwrap_err().retry_token, None);
        let body = r#"{"retry_token": "../x"}"#;
        assert_eq!(decode_start(HttpResponse { status: 503, body }).unwrap_err().retry_token, None);
    }

    #[test]
    fn start_decode_and_missing_id_errors() {
        let kind = |status, body| decode_start(HttpResponse { status, body }).unwrap_err().error.kind;
        assert_eq!(kind(200, "not json"), ErrorKind::Decode);
        assert_eq!(kind(200, ""), ErrorKind::Decode);
        assert_eq!(kind(200, "[1]"), ErrorKind::Decode);
        assert_eq!(kind(200, "null"), ErrorKind::Decode);
        assert_eq!(kind(200, "{}"), ErrorKind::MissingRunId);
        assert_eq!(kind(400, r#"{"query": ["This field is required."]}"#), ErrorKind::Http);
    }

    #[test]
    fn state_fixtures() {
        let pending = decode_poll(ok(&fixture("state-pending.json"))).unwrap();
        assert!(pending.keep_polling);
        assert_eq!(pending.session.unwrap().status, "processing");

        let processing = decode_poll(ok(&fixture("state-processing.json"))).unwrap();
        assert!(processing.keep_polling);
        assert_eq!(processing.sentry_run_id.map(|u| u.to_string()).as_deref(), Some(UUID));
        let session = processing.session.unwrap();
        assert_eq!(session.current_step.unwrap()["key"], "get_field_values");
        assert_eq!(session.updated_at.as_deref(), Some("2026-05-11T10:00:01.250000Z"));

        let text = fixture("state-completed.json");
        let sent: serde_json::Value = serde_json::from_str(&text).unwrap();
        let completed = decode_poll(ok(&text)).unwrap();
        assert!(!completed.keep_polling);
        let session = completed.session.unwrap();
        // A step the agent ran twice is reported twice.
        let keys: Vec<_> =
            session.completed_steps.unwrap().as_array().unwrap().iter().map(|s| s["key"].clone()).collect();
        assert_eq!(keys, ["get_field_values", "get_field_values", "execute_query", "finalize_queries"]);
        assert_eq!(session.final_query.as_deref(), Some("span.duration:>500ms transaction:*checkout*"));
        assert_eq!(session.final_response.unwrap(), sent["session"]["final_response"]);
        assert_eq!(session.data, sent["session"]);

        let unsupported = decode_poll(ok(&fixture("state-unsupported.json"))).unwrap().session.unwrap();
        assert_eq!(unsupported.unsupported_reason.as_deref(), Some("Comparing two releases is not supported yet."));
        assert!(!decode_poll(ok(&fixture("state-error.json"))).unwrap().keep_polling);
        let legacy = decode_poll(ok(&fixture("state-completed-single-legacy.json"))).unwrap().session.unwrap();
        assert_eq!(legacy.final_response.unwrap()["statsPeriod"], "24h");
    }

    #[test]
    fn state_error_bodies() {
        let err = |status, name: &str| decode_poll(HttpResponse { status, body: fixture(name).as_str() }).unwrap_err();
        let not_found = err(404, "state-404-not-found.json");
        assert_eq!((not_found.kind, not_found.status, not_found.detail), (ErrorKind::Http, Some(404), None));
        let invalid = err(400, "state-400-invalid-run-id.json");
        assert_eq!(invalid.detail.as_deref(), Some("Invalid run_id"));
        assert_eq!(invalid.message, "state request failed with HTTP 400: Invalid run_id");
        let array = decode_poll(HttpResponse { status: 500, body: r#"["not a detail"]"# }).unwrap_err();
        assert_eq!(array.detail, None);
        let html = decode_poll(HttpResponse { status: 502, body: "<html>Bad gateway</html>" }).unwrap_err();
        assert_eq!((html.status, html.detail), (Some(502), None));
    }

    #[test]
    fn null_session_does_not_keep_polling() {
        let result = decode_poll(ok(r#"{"session": null}"#)).unwrap();
        assert_eq!((result.session, result.keep_polling), (None, false));
    }

    #[test]
    fn oversized_and_deeply_nested_bodies_are_decode_errors() {
        let huge = format!(r#"{{"session": {{"status": "processing", "x": "{}"}}}}"#, "a".repeat(MAX_BODY_BYTES));
        assert_eq!(decode_poll(ok(&huge)).unwrap_err().kind, ErrorKind::Decode);
        let deep = format!(
            r#"{{"session": {{"status": "completed", "final_response": {{"a": {}1{}}}}}}}"#,
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert_eq!(decode_poll(ok(&deep)).unwrap_err().kind, ErrorKind::Decode);
        assert_eq!(decode_poll(ok("[]")).unwrap_err().kind, ErrorKind::Decode);
        assert_eq!(decode_poll(ok("")).unwrap_err().kind, ErrorKind::Decode);
    }

    /// Natively the body is read as `JSON.parse` reads it in the browser (see `tests/client.rs`),
    /// but for what serde_json refuses: numbers beyond `f64` and nesting past 128 levels.
    #[test]
    fn bodies_read_as_json_parse_reads_them() {
        let start = |body| decode_start(ok(body)).map(|id| id.to_string()).map_err(|f| f.error.kind);
        assert_eq!(start(r#"{"run_id": 12.0}"#), Ok("12".to_owned()));
        assert_eq!(start(r#"{"run_id": 1, "run_id": 7}"#), Ok("7".to_owned()));
        assert_eq!(start(r#"{"run_id": 9007199254740993}"#), Err(ErrorKind::MissingRunId));
        assert_eq!(start(r#"{"run_id": 1e400}"#), Err(ErrorKind::Decode));
        let body = r#"{"session": {"status": "processing", "status": "completed", "final_response": {"query": "a", "query": "b"}}}"#;
        let session = decode_poll(ok(body)).unwrap().session.unwrap();
        assert_eq!(session.status, "completed");
        assert_eq!(session.final_response.unwrap().to_string(), r#"{"query":"b"}"#);
        let proto = r#"{"session": {"status": "completed", "final_response": {"__proto__": {"polluted": "yes"}, "constructor": 1}}}"#;
        let response = decode_poll(ok(proto)).unwrap().session.unwrap().final_response.unwrap();
        assert_eq!(response["__proto__"]["polluted"], "yes");
        assert_eq!(response["constructor"], 1);
        for cut in ["", "<html>Sign in</html>", r#"{"session": {"status": "proc"#, "[]", "null"] {
            let error = decode_poll(ok(cut)).unwrap_err();
            assert!(error.message.starts_with("state response body (HTTP 200) is not"), "{}", error.message);
        }
    }

    #[test]
    fn transient_classification() {
        let http = |status| Error::http(status, None, "state request");
        assert!(is_transient(&Error::new(ErrorKind::Network, "x")));
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(is_transient(&http(status)), "{status}");
        }
        assert!(!is_transient(&http(400)) && !is_transient(&http(403)) && !is_transient(&http(404)));
    }
}
