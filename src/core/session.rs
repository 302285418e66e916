//! The run's session as the state endpoint reports it, and the keep-polling rule.

use super::json::{Json, safe_integer};
use serde::Serialize;
use std::mem::take;

/// One step of the agent's work, such as `get_field_values`; a key repeats when the agent runs that tool again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step's machine name.
    pub key: String,
}

/// A search-agent session. Only `status` is guaranteed: before the agent picks a run up,
/// the server answers with the status alone.
///
/// Fields the client acts on are strict: a wrong type makes the body undecodable. The
/// informational fields read as `null` when they hold the wrong type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Session {
    /// `"processing"`, `"completed"`, `"error"`, or a status newer than this client.
    pub status: String,
    /// The step running now.
    pub current_step: Option<Step>,
    /// The steps done so far, in order.
    pub completed_steps: Vec<Step>,
    /// The search query the run produced.
    pub final_query: Option<String>,
    /// The full answer (`responses`, `unsupported_reason`, ... or an older server's single
    /// query object), passed through whole. Always a JSON object.
    pub final_response: Option<Json>,
    /// Why the question could not be turned into a query.
    pub unsupported_reason: Option<String>,
    /// When the run was created (informational).
    pub created_at: Option<String>,
    /// When the run last changed (informational; the stale-run guard watches it).
    pub updated_at: Option<String>,
    /// The question as asked (informational).
    pub natural_language_query: Option<String>,
    /// The organization's numeric id (informational).
    pub org_id: Option<u64>,
    /// The organization's slug (informational).
    pub org_slug: Option<String>,
    /// The numeric run id (informational).
    pub run_id: Option<u64>,
    /// The strategy the run uses (informational).
    pub strategy: Option<String>,
}

impl Session {
    /// Whether the run is still going: `status == "processing"` or a step is running.
    pub fn keep_polling(&self) -> bool {
        self.status == "processing" || self.current_step.is_some()
    }
}

/// A 200 answer of the state endpoint.
#[derive(Debug)]
pub struct StateBody {
    /// The session, `null` when the server does not know the run.
    pub session: Option<Session>,
    /// The run's UUID, which newer servers add beside the session.
    pub sentry_run_id: Option<String>,
}

impl Step {
    fn from_json(value: Json) -> Result<Self, String> {
        let mut step = Fields::of(value, "a step")?;
        Ok(Self { key: string(step.take("key"), "a step's key")? })
    }
}

impl Session {
    /// Reads a session from its JSON object.
    pub fn from_json(value: Json) -> Result<Self, String> {
        let mut session = Fields::of(value, "the session")?;
        Ok(Self {
            status: string(session.take("status"), "status")?,
            current_step: optional(session.take("current_step"), Step::from_json)?,
            completed_steps: match session.take("completed_steps") {
                Json::Null => Vec::new(),
                Json::Array(steps) => steps.into_iter().map(Step::from_json).collect::<Result<_, _>>()?,
                _ => return Err(String::from("completed_steps is not an array")),
            },
            final_query: optional(session.take("final_query"), |v| string(v, "final_query"))?,
            final_response: optional(session.take("final_response"), |v| {
                Fields::of(v, "final_response").map(|fields| Json::Object(fields.0))
            })?,
            unsupported_reason: optional(session.take("unsupported_reason"), |v| string(v, "unsupported_reason"))?,
            created_at: session.take("created_at").into_string(),
            updated_at: session.take("updated_at").into_string(),
            natural_language_query: session.take("natural_language_query").into_string(),
            org_id: session.take("org_id").as_f64().and_then(safe_integer),
            org_slug: session.take("org_slug").into_string(),
            run_id: session.take("run_id").as_f64().and_then(safe_integer),
            strategy: session.take("strategy").into_string(),
        })
    }
}

impl StateBody {
    /// Reads a state answer from its JSON: a wrong type where the client acts on a field is
    /// an error; informational fields of the wrong type read as `None`.
    pub fn from_json(value: Json) -> Result<Self, String> {
        let mut body = Fields::of(value, "the body")?;
        Ok(Self {
            session: optional(body.take("session"), Session::from_json)?,
            sentry_run_id: body.take("sentry_run_id").into_string(),
        })
    }
}

/// The entries of a JSON object, taken out one by one.
struct Fields(Vec<(String, Json)>);

impl Fields {
    fn of(value: Json, what: &str) -> Result<Self, String> {
        match value {
            Json::Object(entries) => Ok(Self(entries)),
            _ => Err([what, " is not a JSON object"].concat()),
        }
    }

    /// The value of `key`, `null` when there is none.
    fn take(&mut self, key: &str) -> Json {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| take(v)).unwrap_or_default()
    }
}

/// `None` for `null`, else what `read` makes of the value.
fn optional<T>(value: Json, read: impl FnOnce(Json) -> Result<T, String>) -> Result<Option<T>, String> {
    match value {
        Json::Null => Ok(None),
        value => read(value).map(Some),
    }
}

/// The text of a string; `what` is named when it is not one.
fn string(value: Json, what: &str) -> Result<String, String> {
    value.into_string().ok_or_else(|| [what, " is not a string"].concat())
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
