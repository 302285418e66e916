//! The run's session as the state endpoint reports it, and the keep-polling rule.
//!
//! The session passes through as the platform's own value; the core reads the fields it acts on
//! and checks those the UI is promised a shape for.

use super::json::{Json, Kind};
use crate::text;

/// A search-agent session. Only `status` is guaranteed: before the agent picks a run up, the
/// server answers with the status alone.
///
/// The fields read here are strict: a wrong type makes the body undecodable. Everything else
/// in [`Session::data`] passes through as the server sent it.
#[derive(Clone, Debug, PartialEq)]
pub struct Session<J> {
    /// `"processing"`, `"completed"`, `"error"`, or a status newer than this client.
    pub status: String,
    /// The step running now: an object with a string `key`.
    pub current_step: Option<J>,
    /// The steps done so far, in order: an array of objects with a string `key`.
    pub completed_steps: Option<J>,
    /// The search query the run produced.
    pub final_query: Option<String>,
    /// The full answer (`responses`, `unsupported_reason`, ... or an older server's single
    /// query object), passed through whole. Always an object.
    pub final_response: Option<J>,
    /// Why the question could not be turned into a query: the session's own reason, else
    /// `final_response.unsupported_reason`.
    pub unsupported_reason: Option<String>,
    /// When the run last changed, which the stale-run guard watches; `None` when it is not a string.
    pub updated_at: Option<String>,
    /// The session object itself.
    pub data: J,
}

impl<J: Json> Session<J> {
    /// Whether the run is still going: `status == "processing"` or a step is running.
    pub fn keep_polling(&self) -> bool {
        self.status == "processing" || self.current_step.is_some()
    }

    /// Reads a session from its JSON object.
    pub fn read(data: J) -> Result<Self, String> {
        if !data.is_object() {
            return Err(String::from("the session is not a JSON object"));
        }
        let final_response = read_field(&data, "final_response", |v| v.is_object().then_some(v), "a JSON object")?;
        let own_reason = read_field(&data, "unsupported_reason", |v| v.string(), "a string")?;
        let unsupported_reason =
            own_reason.or_else(|| final_response.as_ref().and_then(|r| r.get_string("unsupported_reason")));
        Ok(Self {
            status: data.get_string("status").ok_or_else(|| String::from("status is not a string"))?,
            current_step: read_field(&data, "current_step", step, "a step (an object with a string key)")?,
            completed_steps: read_field(
                &data,
                "completed_steps",
                |v| v.items()?.into_iter().all(|s| step(s).is_some()).then_some(v),
                "an array of steps (objects with a string key)",
            )?,
            final_query: read_field(&data, "final_query", |v| v.string(), "a string")?,
            final_response,
            unsupported_reason,
            updated_at: data.get_string("updated_at"),
            data,
        })
    }
}

/// A step: an object with a string `key`.
fn step<J: Json>(value: J) -> Option<J> {
    (value.get("key")?.kind() == Kind::String).then_some(value)
}

/// The field `key` of `object` read by `read`: `None` when absent or `null`, an error naming
/// the field and what it must be when `read` refuses it.
fn read_field<J: Json, T>(
    object: &J,
    key: &'static str,
    read: impl FnOnce(J) -> Option<T>,
    expected: &str,
) -> Result<Option<T>, String> {
    match object.get(key) {
        None => Ok(None),
        Some(value) if value.is_null() => Ok(None),
        Some(value) => read(value).map(Some).ok_or_else(|| text![key, " is not ", expected]),
    }
}

/// A 200 answer of the state endpoint.
#[derive(Debug)]
pub struct StateBody<J> {
    /// The session, `None` when the server does not know the run.
    pub session: Option<Session<J>>,
    /// The run's UUID, which newer servers add beside the session.
    pub sentry_run_id: Option<String>,
}

impl<J: Json> StateBody<J> {
    /// Reads a state answer from its JSON object.
    pub fn read(body: &J) -> Result<Self, String> {
        if !body.is_object() {
            return Err(String::from("the body is not a JSON object"));
        }
        let session = match body.get("session") {
            Some(data) if !data.is_null() => Some(Session::read(data)?),
            _ => None,
        };
        Ok(Self { session, sentry_run_id: body.get_string("sentry_run_id") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn read(body: Value) -> Result<StateBody<Value>, String> {
        StateBody::read(&body)
    }

    fn session(session: Value) -> Session<Value> {
        read(json!({ "session": session })).unwrap().session.unwrap()
    }

    #[test]
    fn status_only_session_keeps_polling() {
        let session = session(json!({"status": "processing"}));
        assert!(session.keep_polling());
        assert_eq!((session.completed_steps, session.updated_at), (None, None));
    }

    #[test]
    fn keep_polling_rule() {
        let s = |status: &str, step: Option<&str>| {
            let step = step.map(|key| json!({ "key": key }));
            session(json!({"status": status, "current_step": step}))
        };
        assert!(s("processing", None).keep_polling());
        assert!(s("completed", Some("execute_query")).keep_polling());
        assert!(!s("completed", None).keep_polling());
        assert!(!s("error", None).keep_polling());
        assert!(!s("cancelled", None).keep_polling());
    }

    #[test]
    fn the_session_passes_through_as_sent() {
        let data = json!({"status": "processing", "org_id": "one", "updated_at": 3, "extra": {"a": [1]}});
        let session = session(data.clone());
        assert_eq!(session.data, data);
        assert_eq!(session.updated_at, None, "a non-string updated_at is not watched");
        assert_eq!(read(json!({"sentry_run_id": 5, "session": null})).unwrap().sentry_run_id, None);
    }

    #[test]
    fn the_unsupported_reason_falls_back_to_the_final_response() {
        let reason = |data| session(data).unsupported_reason;
        let from_response =
            json!({"status": "completed", "final_response": {"responses": [], "unsupported_reason": "no"}});
        assert_eq!(reason(from_response).as_deref(), Some("no"));
        let both =
            json!({"status": "completed", "unsupported_reason": "own", "final_response": {"unsupported_reason": "no"}});
        assert_eq!(reason(both).as_deref(), Some("own"));
    }

    /// Found by the `state_response` fuzz target: serde read a struct from an array of its
    /// field values, so `{"session": ["completed"]}` was a completed session.
    #[test]
    fn sessions_and_steps_must_be_objects() {
        for bad in [
            json!({"session": ["completed"]}),
            json!({"session": {"status": "completed", "current_step": ["execute_query"]}}),
            json!({"session": {"status": "completed", "completed_steps": [["get_field_values"]]}}),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn acted_on_fields_with_wrong_types_are_refused() {
        for (bad, why) in [
            (json!({"session": {"status": 1}}), "status is not a string"),
            (json!({"session": {}}), "status is not a string"),
            (json!({"session": {"status": "processing", "current_step": "x"}}), "current_step is not a step"),
            (json!({"session": {"status": "processing", "current_step": {"key": 1}}}), "current_step is not a step"),
            (json!({"session": {"status": "completed", "final_response": "q"}}), "final_response is not a JSON object"),
            (json!({"session": {"status": "completed", "completed_steps": [1]}}), "completed_steps is not an array"),
            (json!({"session": {"status": "completed", "completed_steps": {}}}), "completed_steps is not an array"),
            (json!({"session": {"status": "completed", "final_query": 1}}), "final_query is not a string"),
            (
                json!({"session": {"status": "completed", "unsupported_reason": []}}),
                "unsupported_reason is not a string",
            ),
            (json!([]), "the body is not a JSON object"),
        ] {
            assert_eq!(read(bad.clone()).err().as_deref().map(|e| e.starts_with(why)), Some(true), "{bad}");
        }
    }
}
