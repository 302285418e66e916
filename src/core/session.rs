//! The run's session as the state endpoint reports it, and the keep-polling rule.

use super::json::{Json, safe_integer};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

/// One step of the agent's work, such as `get_field_values`; a key repeats when the agent runs that tool again.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct Step {
    /// The step's machine name.
    pub key: String,
}

/// A search-agent session. Only `status` is guaranteed: before the agent picks a run up,
/// the server answers with the status alone.
///
/// Fields the client acts on are strict: a wrong type makes the body undecodable. The
/// informational fields read as `null` when they hold the wrong type.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
pub struct Session {
    /// `"processing"`, `"completed"`, `"error"`, or a status newer than this client.
    pub status: String,
    /// The step running now.
    #[serde(default)]
    pub current_step: Option<Step>,
    /// The steps done so far, in order.
    #[serde(default, deserialize_with = "list")]
    pub completed_steps: Vec<Step>,
    /// The search query the run produced.
    #[serde(default)]
    pub final_query: Option<String>,
    /// The full answer (`responses`, `unsupported_reason`, ... or an older server's single
    /// query object), passed through whole. Always a JSON object.
    #[serde(default, deserialize_with = "object")]
    pub final_response: Option<Json>,
    /// Why the question could not be turned into a query.
    #[serde(default)]
    pub unsupported_reason: Option<String>,
    /// When the run was created (informational).
    #[serde(default, deserialize_with = "lenient_string")]
    pub created_at: Option<String>,
    /// When the run last changed (informational; the stale-run guard watches it).
    #[serde(default, deserialize_with = "lenient_string")]
    pub updated_at: Option<String>,
    /// The question as asked (informational).
    #[serde(default, deserialize_with = "lenient_string")]
    pub natural_language_query: Option<String>,
    /// The organization's numeric id (informational).
    #[serde(default, deserialize_with = "lenient_integer")]
    pub org_id: Option<u64>,
    /// The organization's slug (informational).
    #[serde(default, deserialize_with = "lenient_string")]
    pub org_slug: Option<String>,
    /// The numeric run id (informational).
    #[serde(default, deserialize_with = "lenient_integer")]
    pub run_id: Option<u64>,
    /// The strategy the run uses (informational).
    #[serde(default, deserialize_with = "lenient_string")]
    pub strategy: Option<String>,
}

impl Session {
    /// Whether the run is still going: `status == "processing"` or a step is running.
    pub fn keep_polling(&self) -> bool {
        self.status == "processing" || self.current_step.is_some()
    }
}

/// A 200 answer of the state endpoint.
#[derive(Debug, Deserialize)]
pub struct StateBody {
    /// The session, `null` when the server does not know the run.
    #[serde(default)]
    pub session: Option<Session>,
    /// The run's UUID, which newer servers add beside the session.
    #[serde(default, deserialize_with = "lenient_string")]
    pub sentry_run_id: Option<String>,
}

/// A JSON object, or `None` for `null`.
pub(crate) fn object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Json>, D::Error> {
    match Option::<Json>::deserialize(d)? {
        Some(value) if !value.is_object() => Err(D::Error::custom("expected a JSON object")),
        value => Ok(value),
    }
}

/// An array, empty for `null`.
fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A string, or `None` for anything else.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Json::deserialize(d)? {
        Json::String(text) => Some(text),
        _ => None,
    })
}

/// An integer in `0..=2^53-1`, or `None` for anything else.
fn lenient_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Json::deserialize(d)?.as_f64().and_then(safe_integer))
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn decode(text: &str) -> StateBody {
        read_state(text).unwrap()
    }

    fn read_state(text: &str) -> Result<StateBody, String> {
        super::super::body::Body::state(text)
    }

    #[test]
    fn status_only_session_keeps_polling() {
        let body = decode(r#"{"session": {"status": "processing"}}"#);
        let session = body.session.unwrap();
        assert!(session.keep_polling());
        assert!(session.completed_steps.is_empty());
        assert_eq!(session.updated_at, None);
    }

    #[test]
    fn keep_polling_rule() {
        let s = |status: &str, step: Option<&str>| Session {
            current_step: step.map(|key| Step { key: key.into() }),
            ..decode(&format!(r#"{{"session": {{"status": "{status}"}}}}"#)).session.unwrap()
        };
        assert!(s("processing", None).keep_polling());
        assert!(s("completed", Some("execute_query")).keep_polling());
        assert!(!s("completed", None).keep_polling());
        assert!(!s("error", None).keep_polling());
        assert!(!s("cancelled", None).keep_polling());
    }

    #[test]
    fn informational_fields_with_wrong_types_read_as_null() {
        let body = decode(
            r#"{"sentry_run_id": 5, "session": {"status": "processing", "org_id": "one", "updated_at": 3, "completed_steps": null}}"#,
        );
        let session = body.session.unwrap();
        assert_eq!((session.org_id, session.updated_at), (None, None));
        assert_eq!(body.sentry_run_id, None);
    }

    /// Found by the `state_response` fuzz target: serde reads a struct from an array of its
    /// field values, so `{"session": ["completed"]}` was a completed session.
    #[test]
    fn sessions_and_steps_must_be_objects() {
        for bad in [
            r#"{"session": ["completed"]}"#,
            r#"{"session": {"status": "completed", "current_step": ["execute_query"]}}"#,
            r#"{"session": {"status": "completed", "completed_steps": [["get_field_values"]]}}"#,
        ] {
            assert!(read_state(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn acted_on_fields_with_wrong_types_are_refused() {
        for bad in [
            r#"{"session": {"status": 1}}"#,
            r#"{"session": {}}"#,
            r#"{"session": {"status": "processing", "current_step": "x"}}"#,
            r#"{"session": {"status": "completed", "final_response": "q"}}"#,
            r#"{"session": {"status": "completed", "completed_steps": [1]}}"#,
        ] {
            assert!(read_state(bad).is_err(), "{bad}");
        }
    }
}
