//! What the UI renders: the poller's state as one immutable value.

use super::error::Error;
use super::json::Json;
use super::queries::{Query, queries_of};
use super::run_id::RunId;
use super::session::Session;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

/// Where a run stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerPhase", rename_all = "snake_case"))]
pub enum Phase {
    /// Nothing asked yet, or reset.
    #[default]
    Idle,
    /// The start request is in flight.
    Starting,
    /// Polling the run.
    Polling,
    /// Polls fail transiently; retrying at the error interval.
    Backoff,
    /// The page is hidden or offline; polling resumes when it is shown and online.
    Paused,
    /// The run finished.
    Completed,
    /// The run failed, on the server or in the client.
    Error,
    /// The run went stale or outlived its time budget.
    TimedOut,
    /// A resumed run the server does not know (HTTP 404): nothing to show, and no failure.
    Gone,
}

/// Why polling is paused: the page is hidden, or the browser is offline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerPauseReason"))]
pub enum PauseReason {
    /// The page is hidden (`pauseWhenHidden`).
    Hidden,
    /// The browser is offline.
    Offline,
}

impl Phase {
    /// The `snake_case` name used in JavaScript (`src/contract.rs` checks it against the declaration).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Starting => "starting",
            Self::Polling => "polling",
            Self::Backoff => "backoff",
            Self::Paused => "paused",
            Self::Completed => "completed",
            Self::Error => "error",
            Self::TimedOut => "timed_out",
            Self::Gone => "gone",
        }
    }

    /// Whether a run is under way (`isPending` and `isPolling`).
    pub fn is_active(self) -> bool {
        matches!(self, Self::Starting | Self::Polling | Self::Backoff | Self::Paused)
    }

    /// Whether the run ended badly (`isError`).
    pub fn is_error(self) -> bool {
        matches!(self, Self::Error | Self::TimedOut)
    }
}

/// Serialized by its name, as `as_str` spells it: a derived `Serialize` makes the wasm larger.
/// Written as its name, as a unit variant: a serializer may keep the name it made (serde-wasm-bindgen
/// makes each into a JavaScript string once).
impl Serialize for Phase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("Phase", 0, self.as_str())
    }
}

/// The poller's state. It serializes to JavaScript's `AskSeerState`, with the fields
/// Sentry's hook derives from the session spelled out; the session and its parts are the
/// platform's own values, passed through.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot<J> {
    /// Where the run stands.
    pub phase: Phase,
    /// The id being polled.
    pub run_id: Option<RunId>,
    /// The latest session the server sent.
    pub session: Option<Session<J>>,
    /// Whether the start request failed.
    pub start_failed: bool,
    /// Why the run ended badly, when the client can say.
    pub error: Option<Error>,
    /// Why polling is paused; set exactly in [`Phase::Paused`].
    pub paused_by: Option<PauseReason>,
    /// The transient failure being retried; cleared by a success and when the run ends.
    pub last_failure: Option<Error>,
}

impl<J> Default for Snapshot<J> {
    fn default() -> Self {
        Self {
            phase: Phase::Idle,
            run_id: None,
            session: None,
            start_failed: false,
            error: None,
            paused_by: None,
            last_failure: None,
        }
    }
}

// JavaScript's `AskSeerState`, the serialized form of a `Snapshot`; `J` is the platform's JSON
// value, whose parts pass through as the server sent them.
/// The poller's state: frozen, and the same object until something changes. A part equal to the
/// previous state's is that very object (structural sharing), so `completedSteps`, `currentStep`,
/// `finalResponse`, `queries`, `runId` and `error` keep their identity while their content does.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerState", concrete(J = ())))]
pub(crate) struct View<'a, J> {
    /// Where the run stands.
    phase: Phase,
    /// The id being polled.
    #[cfg_attr(test, ts(as = "Option<super::run_id::RunIdView>"))]
    run_id: Option<&'a RunId>,
    /// The latest session the server sent, as it sent it.
    #[cfg_attr(test, ts(type = "Session | null"))]
    session_data: Option<&'a J>,
    /// True while starting, polling, backing off or paused.
    is_pending: bool,
    /// True while starting, polling, backing off or paused.
    is_polling: bool,
    /// True in `error` and `timed_out`; false in `gone`, where a resumed run is simply unknown to the server.
    is_error: bool,
    /// Whether the start request failed.
    start_failed: bool,
    /// Why the run ended badly; `null` when the server's run itself failed (`status: "error"`).
    error: Option<&'a Error>,
    /// Why polling is paused; set exactly in phase `paused` (`"offline"` when both apply).
    paused_by: Option<PauseReason>,
    /// The transient failure being retried (`request_timeout`: the server is slow; `network`: it
    /// cannot be reached; `http`: it answers with 408, 429 or 5xx; `decode`); `null` after a success
    /// and once the run ends.
    last_failure: Option<&'a Error>,
    /// The session's `final_response`, as the server sent it.
    #[cfg_attr(test, ts(type = "FinalResponse | null"))]
    final_response: Option<&'a J>,
    /// The candidate queries, best first; empty until the run completes. Frozen.
    queries: Vec<Query>,
    /// The session's `final_query`.
    final_query: Option<&'a str>,
    /// The session's reason, else `final_response.unsupported_reason`.
    unsupported_reason: Option<&'a str>,
    /// The session's `current_step` object itself: the step the agent is working on.
    #[cfg_attr(test, ts(type = "SessionStep | null"))]
    current_step: Option<&'a J>,
    /// The session's `completed_steps` array itself (an empty array when it has none): the steps
    /// the agent has finished, in order.
    #[cfg_attr(test, ts(type = "Array<SessionStep>"))]
    completed_steps: Steps<'a, J>,
}

/// The session's `completed_steps`, or an empty array when it has none.
struct Steps<'a, J>(Option<&'a J>);

impl<J: Serialize> Serialize for Steps<'_, J> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(steps) => steps.serialize(serializer),
            None => serializer.serialize_seq(Some(0))?.end(),
        }
    }
}

impl<J: Json> Snapshot<J> {
    /// The candidate queries of the final response once the run has completed, else none.
    pub fn queries(&self) -> Vec<Query> {
        let final_response = self.session.as_ref().and_then(|s| s.final_response.as_ref());
        final_response.filter(|_| self.phase == Phase::Completed).map(queries_of).unwrap_or_default()
    }
}

impl<J: Json + Serialize> Serialize for Snapshot<J> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let session = self.session.as_ref();
        View {
            phase: self.phase,
            run_id: self.run_id.as_ref(),
            session_data: session.map(|s| &s.data),
            is_pending: self.phase.is_active(),
            is_polling: self.phase.is_active(),
            is_error: self.phase.is_error(),
            start_failed: self.start_failed,
            error: self.error.as_ref(),
            paused_by: self.paused_by,
            last_failure: self.last_failure.as_ref(),
            final_response: session.and_then(|s| s.final_response.as_ref()),
            queries: self.queries(),
            final_query: session.and_then(|s| s.final_query.as_deref()),
            unsupported_reason: session.and_then(|s| s.unsupported_reason.as_deref()),
            current_step: session.and_then(|s| s.current_step.as_ref()),
            completed_steps: Steps(session.and_then(|s| s.completed_steps.as_ref())),
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn session(data: Value) -> Session<Value> {
        Session::read(data).unwrap()
    }

    fn view(snapshot: &Snapshot<Value>) -> Value {
        serde_json::to_value(snapshot).unwrap()
    }

    #[test]
    fn idle_snapshot() {
        assert_eq!(
            view(&Snapshot::default()),
            json!({
                "phase": "idle", "runId": null, "sessionData": null, "isPending": false, "isPolling": false,
                "isError": false, "startFailed": false, "error": null, "pausedBy": null, "lastFailure": null,
                "finalResponse": null, "queries": [], "finalQuery": null, "unsupportedReason": null,
                "currentStep": null, "completedSteps": []
            })
        );
    }

    #[test]
    fn derived_fields() {
        let data = json!({
            "status": "processing", "current_step": {"key": "b", "title": "B"}, "completed_steps": [{"key": "a"}],
            "final_query": "q", "final_response": {"query": "q"}, "unsupported_reason": null, "extra": [1]
        });
        let snapshot = Snapshot { phase: Phase::Backoff, session: Some(session(data.clone())), ..Default::default() };
        let backoff = view(&snapshot);
        assert_eq!(backoff["isPending"], json!(true));
        assert_eq!(backoff["isError"], json!(false));
        assert_eq!(backoff["currentStep"], json!({"key": "b", "title": "B"}));
        assert_eq!(backoff["completedSteps"], json!([{"key": "a"}]));
        assert_eq!(backoff["finalResponse"], json!({"query": "q"}));
        assert_eq!(backoff["sessionData"], data, "the session passes through as sent");
        assert_eq!(backoff["queries"], json!([]), "no queries before the run completes");
        let done = Snapshot { phase: Phase::Completed, ..snapshot };
        assert_eq!(view(&done)["queries"][0]["query"], json!("q"));
        let timed_out = Snapshot { phase: Phase::TimedOut, ..Default::default() };
        assert_eq!(view(&timed_out)["isError"], json!(true));
        let gone = view(&Snapshot { phase: Phase::Gone, ..Default::default() });
        assert_eq!(
            (&gone["phase"], &gone["isPending"], &gone["isError"]),
            (&json!("gone"), &json!(false), &json!(false))
        );
        let paused = Snapshot { phase: Phase::Paused, paused_by: Some(PauseReason::Offline), ..Default::default() };
        let paused = view(&paused);
        assert_eq!((&paused["pausedBy"], &paused["isPending"]), (&json!("offline"), &json!(true)));
    }
}
