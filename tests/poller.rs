//! Deterministic native tests of the `Poller` state machine (behaviours 1-13 of the
//! `AskSeerPoller` spec), driven by hand on a virtual clock.
//!
//! Every input goes through [`Driver`], which also checks after each step what must always
//! hold: one `Publish` exactly when the snapshot changed (and the version grows with it),
//! never a second request while one is in flight, aborts only of the request in flight.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use ask_seer_polling::core::{
    Endpoints, Error, ErrorKind, HttpResponse, Method, Millis, PauseReason, Phase, Poller, Reply, Request, RequestId,
    RunId, Snapshot, StartRequestInput, StartTemplate, Timings,
};
use outputs::{Action, drain};
use serde_json::{Value, json};

mod outputs;

const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const OTHER_UUID: &str = "0f6f2d0e-96a4-4b7e-8f39-2d4d3b1a9c77";
const START_URL: &str = "/api/0/organizations/acme/search-agent/start/";

const START_UUID: &str = include_str!("fixtures/start-uuid.json");
const START_UUID_PICKED_UP: &str = include_str!("fixtures/start-uuid-picked-up.json");
const START_LEGACY: &str = include_str!("fixtures/start-legacy.json");
const START_500_RETRY_TOKEN: &str = include_str!("fixtures/start-500-retry-token.json");
const STATE_PENDING: &str = include_str!("fixtures/state-pending.json");
const STATE_PROCESSING: &str = include_str!("fixtures/state-processing.json");
const STATE_COMPLETED: &str = include_str!("fixtures/state-completed.json");
const STATE_ERROR: &str = include_str!("fixtures/state-error.json");
const STATE_UNSUPPORTED: &str = include_str!("fixtures/state-unsupported.json");
const STATE_400: &str = include_str!("fixtures/state-400-invalid-run-id.json");
const STATE_404: &str = include_str!("fixtures/state-404-not-found.json");

fn state_url(id: &str) -> String {
    format!("/api/0/organizations/acme/search-agent/state/{id}/")
}

/// A processing session whose `updated_at` is `updated_at` (none when `None`).
fn processing(updated_at: Option<&str>) -> String {
    let mut session = json!({"status": "processing", "current_step": {"key": "searching_attributes"}});
    if let Some(at) = updated_at {
        session["updated_at"] = json!(at);
    }
    json!({ "session": session }).to_string()
}

/// The outputs of one input.
#[derive(Debug, Default)]
struct Out(Vec<Action<Value>>);

impl Out {
    /// What `pick` takes from each action, in order.
    fn each<T>(&self, pick: impl Fn(&Action<Value>) -> Option<T>) -> Vec<T> {
        self.0.iter().filter_map(pick).collect()
    }

    fn sends(&self) -> Vec<Request> {
        self.each(|a| match a {
            Action::Send(r) => Some(r.clone()),
            _ => None,
        })
    }

    /// The one request this step sent.
    fn send(&self) -> Request {
        let sends = self.sends();
        assert_eq!(sends.len(), 1, "expected exactly one request, got {:?}", self.0);
        sends.into_iter().next().unwrap()
    }

    fn get(&self) -> Request {
        let request = self.send();
        assert_eq!((request.method, &request.body), (Method::Get, &None), "{request:?}");
        request
    }

    fn nothing_sent(&self) -> bool {
        self.sends().is_empty()
    }

    fn published(&self) -> bool {
        self.0.contains(&Action::Publish)
    }

    fn aborts(&self) -> Vec<RequestId> {
        self.each(|a| match a {
            Action::Abort(id) => Some(*id),
            _ => None,
        })
    }

    fn failures(&self) -> Vec<Error> {
        self.each(|a| match a {
            Action::Failed(e) => Some(e.clone()),
            _ => None,
        })
    }

    /// The one `Failed` this step reported.
    fn failure(&self) -> Error {
        let failures = self.failures();
        assert_eq!(failures.len(), 1, "expected exactly one Failed, got {:?}", self.0);
        failures.into_iter().next().unwrap()
    }

    fn successes(&self) -> Vec<Value> {
        self.each(|a| match a {
            Action::Succeeded(r) => Some(serde_json::to_value(r).unwrap()),
            _ => None,
        })
    }

    fn settled(&self) -> Vec<RequestId> {
        self.each(|a| match a {
            Action::StartSettled(id) => Some(*id),
            _ => None,
        })
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Feeds the poller on a virtual clock and checks the always-true rules after each input.
struct Driver {
    poller: Poller<str>,
    now: Millis,
    in_flight: Option<RequestId>,
    /// Every `Out` so far, for checks across a whole run.
    log: Vec<Action<Value>>,
}

impl Driver {
    fn new() -> Self {
        Self::with(Timings::default())
    }

    fn with(timings: Timings) -> Self {
        let endpoints = Endpoints::new("acme", None).unwrap();
        let template = StartTemplate::new(StartRequestInput {
            project_ids: vec![1.0, 2.0],
            strategy: "Traces".into(),
            ..Default::default()
        })
        .unwrap();
        Self { poller: Poller::new(endpoints, template, timings), now: 0, in_flight: None, log: Vec::new() }
    }

    fn snapshot(&self) -> &Snapshot<Value> {
        self.poller.snapshot()
    }

    fn phase(&self) -> Phase {
        self.snapshot().phase
    }

    fn view(&self) -> Value {
        serde_json::to_value(self.snapshot()).unwrap()
    }

    fn step(&mut self, input: impl FnOnce(&mut Poller<str>, Millis)) -> Out {
        let before = self.poller.snapshot().clone();
        let version = self.poller.version();
        input(&mut self.poller, self.now);
        let out = drain(&mut self.poller);
        let publishes = out.iter().filter(|a| **a == Action::Publish).count();
        let changed = *self.poller.snapshot() != before;
        assert_eq!(publishes, usize::from(changed), "Publish iff the snapshot changed: {out:?}");
        assert_eq!(self.poller.version(), version + publishes as u64, "the version counts the changes");
        for action in &out {
            match action {
                Action::Abort(id) => {
                    assert_eq!(self.in_flight, Some(*id), "aborted a request that is not in flight");
                    self.in_flight = None;
                }
                Action::Send(request) => {
                    assert_eq!(self.in_flight, None, "two requests in flight: {out:?}");
                    self.in_flight = Some(request.id);
                }
                _ => {}
            }
        }
        self.log.extend(out.iter().cloned());
        Out(out)
    }

    fn submit(&mut self, query: &str) -> (Option<RequestId>, Out) {
        let mut id = None;
        let out = self.step(|p, now| id = p.submit(now, query));
        (id, out)
    }

    fn reply_full(
        &mut self,
        id: RequestId,
        status: u16,
        body: &str,
        retry_after: Option<&str>,
        unix_now_ms: u64,
    ) -> Out {
        if self.in_flight == Some(id) {
            self.in_flight = None;
        }
        let reply = Reply::Http { response: HttpResponse { status, body }, retry_after, unix_now_ms };
        self.step(|p, now| p.handle_reply(now, id, reply))
    }

    fn reply(&mut self, id: RequestId, status: u16, body: &str) -> Out {
        self.reply_full(id, status, body, None, 0)
    }

    fn network(&mut self, id: RequestId) -> Out {
        if self.in_flight == Some(id) {
            self.in_flight = None;
        }
        self.step(|p, now| p.handle_reply(now, id, Reply::Network("connection refused")))
    }

    /// Moves the clock to `to`, handling every timeout that falls due on the way, each at its time.
    fn advance_to(&mut self, to: Millis) -> Out {
        assert!(to >= self.now, "the clock goes forward");
        let mut all = Out::default();
        while let Some(due) = self.poller.poll_timeout().filter(|&due| due <= to) {
            self.now = self.now.max(due);
            let out = self.step(|p, now| p.handle_timeout(now));
            let stuck = out.is_empty() && self.poller.poll_timeout() == Some(due);
            all.0.extend(out.0);
            assert!(!stuck, "handle_timeout at {due} did nothing but stays due");
        }
        self.now = to;
        all
    }

    fn advance(&mut self, by: Millis) -> Out {
        self.advance_to(self.now + by)
    }

    fn hide(&mut self) -> Out {
        self.step(|p, now| p.set_visible(now, false))
    }

    fn show(&mut self) -> Out {
        self.step(|p, now| p.set_visible(now, true))
    }

    fn offline(&mut self) -> Out {
        self.step(|p, now| p.set_online(now, false))
    }

    fn online(&mut self) -> Out {
        self.step(|p, now| p.set_online(now, true))
    }

    /// Resumes the run `id` names, read as JavaScript's `resume` reads it.
    fn resume(&mut self, id: Value, query: Option<&str>) -> Out {
        self.step(|p, now| p.resume(now, RunId::from_json(&id), query))
    }

    fn paused_by(&self) -> Option<PauseReason> {
        self.snapshot().paused_by
    }

    fn last_failure(&self) -> Option<ErrorKind> {
        self.snapshot().last_failure.as_ref().map(|e| e.kind)
    }

    fn reset(&mut self) -> Out {
        self.step(|p, _| p.reset())
    }

    fn dispose(&mut self) -> Out {
        self.step(|p, _| p.dispose())
    }

    /// Submits `query`, answers the start request with `start_body`, and returns the first poll.
    fn start(&mut self, query: &str, start_body: &str) -> Request {
        let (id, out) = self.submit(query);
        let id = id.unwrap();
        assert_eq!(out.send().id, id);
        self.advance(40);
        let out = self.reply(id, 200, start_body);
        assert_eq!(out.settled(), vec![id]);
        out.get()
    }

    /// Answers `poll` with a processing session and returns the next poll, sent after the interval.
    fn keep_processing(&mut self, poll: &Request, body: &str) -> Request {
        let out = self.reply(poll.id, 200, body);
        assert!(out.nothing_sent(), "{out:?}");
        self.advance(500).get()
    }

    fn count(&self, pred: impl Fn(&Action<Value>) -> bool) -> usize {
        self.log.iter().filter(|a| pred(a)).count()
    }

    fn failed_count(&self) -> usize {
        self.count(|a| matches!(a, Action::Failed(_)))
    }

    fn succeeded_count(&self) -> usize {
        self.count(|a| matches!(a, Action::Succeeded(_)))
    }

    fn posts(&self) -> usize {
        self.count(|a| matches!(a, Action::Send(r) if r.method == Method::Post))
    }

    /// Nothing is scheduled and nothing is sent, however long we wait.
    fn assert_quiet(&mut self) {
        assert_eq!(self.poller.poll_timeout(), None);
        let out = self.advance(10 * 60 * 1000);
        assert!(out.is_empty(), "{out:?}");
    }
}

// 1. submitQuery starts the run, picks the id (UUID first), polls at once, then every
//    pollIntervalMs after each handled response; never two requests in flight.

#[test]
fn submit_sends_the_start_request() {
    let mut d = Driver::new();
    assert_eq!(d.phase(), Phase::Idle);
    let (id, out) = d.submit("slow spans in checkout today");
    let request = out.send();
    assert_eq!(Some(request.id), id);
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, START_URL);
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"natural_language_query": "slow spans in checkout today", "project_ids": [1, 2], "strategy": "Traces", "referrer": "search_bar"})
    );
    assert!(out.published());
    assert_eq!(d.phase(), Phase::Starting);
    let view = d.view();
    assert_eq!(
        (view["isPending"].clone(), view["isPolling"].clone(), view["isError"].clone()),
        (json!(true), json!(true), json!(false))
    );
    assert_eq!(view["runId"], Value::Null);
}

#[test]
fn the_uuid_is_picked_and_polled_at_once() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    d.advance(120);
    let out = d.reply(id.unwrap(), 200, START_UUID_PICKED_UP);
    let poll = out.get();
    assert_eq!(poll.url, state_url(UUID));
    assert_eq!(d.phase(), Phase::Polling);
    assert_eq!(d.view()["runId"], json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}));
    assert_eq!(out.settled(), id.into_iter().collect::<Vec<_>>());
    assert!(out.published());
}

#[test]
fn uuid_with_null_numeric_id() {
    let mut d = Driver::new();
    assert_eq!(d.start("q", START_UUID).url, state_url(UUID));
    assert_eq!(d.view()["runId"]["numericRunId"], Value::Null);
}

#[test]
fn legacy_start_polls_the_numeric_id() {
    let mut d = Driver::new();
    assert_eq!(d.start("q", START_LEGACY).url, state_url("4821"));
    assert_eq!(
        d.view()["runId"],
        json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821})
    );
}

#[test]
fn polls_pollinterval_after_each_handled_response() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    // The answer takes 700 ms, longer than the interval: the next poll waits for it.
    assert!(d.advance(700).is_empty());
    let out = d.reply(poll.id, 200, STATE_PROCESSING);
    assert!(out.nothing_sent());
    assert_eq!(d.poller.poll_timeout(), Some(d.now + 500));
    assert!(d.advance(499).is_empty());
    let next = d.advance(1).get();
    assert_eq!(next.url, state_url(UUID));
    // Answered at once: again 500 ms later, counted from the answer.
    d.advance(3);
    d.reply(next.id, 200, STATE_PROCESSING);
    let at = d.now;
    d.advance(500).get();
    assert_eq!(d.now, at + 500);
}

#[test]
fn never_two_requests_in_flight() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    // The start request is out: nothing else is sent before its reply or its timeout.
    assert!(d.advance(29_999).nothing_sent());
    let poll = d.reply(id.unwrap(), 200, START_UUID).get();
    // A slow poll: nothing else goes out while it is pending, with timeouts handled all along.
    for _ in 0..29 {
        let out = d.advance(1_000);
        assert!(out.nothing_sent(), "{out:?}");
        d.step(|p, now| p.handle_timeout(now));
    }
    assert_eq!(d.in_flight, Some(poll.id));
    // Inputs that do not start a run do not send either.
    assert!(d.submit("q").1.is_empty());
    assert!(d.show().is_empty());
}

// 2. Finished (status != "processing" and no current_step): stop.

#[test]
fn completed_with_final_response_calls_on_success_once() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let poll = d.keep_processing(&poll, STATE_PROCESSING);
    let out = d.reply(poll.id, 200, STATE_COMPLETED);
    assert!(out.nothing_sent());
    assert_eq!(d.phase(), Phase::Completed);
    let expected: Value = serde_json::from_str(STATE_COMPLETED).unwrap();
    let successes = out.successes();
    assert_eq!(successes.len(), 1);
    assert_eq!(successes[0], expected["session"]["final_response"]);
    let view = d.view();
    assert_eq!(view["finalResponse"], expected["session"]["final_response"]);
    assert_eq!(view["finalQuery"], json!("span.duration:>500ms transaction:*checkout*"));
    assert_eq!(view["completedSteps"].as_array().unwrap().len(), 4);
    let queries: Vec<&Value> = view["queries"].as_array().unwrap().iter().map(|q| &q["query"]).collect();
    let responses = expected["session"]["final_response"]["responses"].as_array().unwrap();
    assert_eq!(queries, responses.iter().map(|r| &r["query"]).collect::<Vec<_>>());
    assert_eq!(view["currentStep"], Value::Null);
    assert_eq!(
        (view["isPending"].clone(), view["isPolling"].clone(), view["isError"].clone()),
        (json!(false), json!(false), json!(false))
    );
    assert_eq!(view["error"], Value::Null);
    d.assert_quiet();
    assert_eq!((d.succeeded_count(), d.failed_count()), (1, 0));
}

#[test]
fn completed_status_with_a_current_step_keeps_polling() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let body = json!({"session": {"status": "completed", "current_step": {"key": "building_query"}}}).to_string();
    let out = d.reply(poll.id, 200, &body);
    assert!(out.successes().is_empty());
    assert_eq!(d.phase(), Phase::Polling);
    d.advance(500).get();
}

#[test]
fn server_side_error_status_is_an_error_without_on_error() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, STATE_ERROR);
    assert_eq!(d.phase(), Phase::Error);
    assert_eq!(d.snapshot().error, None);
    assert!(out.failures().is_empty() && out.successes().is_empty());
    let view = d.view();
    assert_eq!((view["isError"].clone(), view["isPending"].clone()), (json!(true), json!(false)));
    assert_eq!(view["sessionData"]["status"], json!("error"));
    d.assert_quiet();
    assert_eq!((d.succeeded_count(), d.failed_count()), (0, 0));
}

#[test]
fn unknown_status_finishes_without_error() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, r#"{"session": {"status": "cancelled"}}"#);
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!(d.snapshot().error, None);
    assert!(out.failures().is_empty() && out.successes().is_empty());
    assert_eq!(d.view()["isError"], json!(false));
    d.assert_quiet();
}

#[test]
fn an_unsupported_question_completes_and_calls_nothing() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, STATE_UNSUPPORTED);
    assert_eq!(d.phase(), Phase::Completed);
    assert!(out.successes().is_empty() && out.failures().is_empty());
    assert_eq!(d.view()["unsupportedReason"], json!("Comparing two releases is not supported yet."));
    assert_eq!(d.view()["queries"], json!([]));
    d.assert_quiet();
}

// 3. No usable id in the start response.

#[test]
fn start_response_without_a_usable_id_fails_with_missing_run_id() {
    for body in [
        r#"{"run_id": null}"#,
        r#"{}"#,
        r#"{"run_id": "4821"}"#,
        r#"{"run_id": 0, "sentry_run_id": "../x"}"#,
        r#"{"run_id": 1.5}"#,
    ] {
        let mut d = Driver::new();
        let (id, _) = d.submit("q");
        let out = d.reply(id.unwrap(), 200, body);
        assert!(out.nothing_sent(), "{body}");
        assert_eq!(out.settled(), vec![id.unwrap()]);
        assert_eq!(out.failure().kind, ErrorKind::MissingRunId, "{body}");
        let snapshot = d.snapshot();
        assert!(snapshot.start_failed);
        assert_eq!(snapshot.phase, Phase::Error);
        assert_eq!(snapshot.error.as_ref().map(|e| e.kind), Some(ErrorKind::MissingRunId));
        assert_eq!(d.view()["error"]["kind"], json!("missing_run_id"));
        d.assert_quiet();
        assert_eq!(d.failed_count(), 1);
    }
}

// 4. Start failures.

#[test]
fn start_http_failure_fails_the_run() {
    for (status, body, detail) in [
        (500, r#"{"detail": "boom"}"#, Some("boom")),
        (503, r#"{"retry_token": "../x"}"#, None),
        (403, r#"{"detail": "forbidden"}"#, Some("forbidden")),
        (400, r#"{"query": ["This field is required."]}"#, None),
        // A retry token below 500 does not count.
        (409, START_500_RETRY_TOKEN, Some("Failed to start search agent")),
        (502, "<html>bad gateway</html>", None),
    ] {
        let mut d = Driver::new();
        let (id, _) = d.submit("q");
        let out = d.reply(id.unwrap(), status, body);
        assert!(out.nothing_sent(), "{status}");
        assert_eq!(out.settled(), vec![id.unwrap()]);
        let error = out.failure();
        assert_eq!((error.kind, error.status, error.detail.as_deref()), (ErrorKind::Http, Some(status), detail));
        assert!(d.snapshot().start_failed);
        assert_eq!(d.phase(), Phase::Error);
        assert_eq!(d.snapshot().error.as_ref(), Some(&error));
        d.assert_quiet();
        assert_eq!((d.failed_count(), d.posts()), (1, 1));
    }
}

#[test]
fn start_network_failure_fails_the_run() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.network(id.unwrap());
    assert_eq!(out.failure().kind, ErrorKind::Network);
    assert_eq!(out.settled(), vec![id.unwrap()]);
    assert!(d.snapshot().start_failed);
    assert_eq!(d.view()["isError"], json!(true));
    d.assert_quiet();
    assert_eq!((d.failed_count(), d.posts()), (1, 1));
}

#[test]
fn start_non_json_answer_fails_with_decode() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.reply(id.unwrap(), 200, "<html>login</html>");
    assert_eq!(out.failure().kind, ErrorKind::Decode);
    assert!(d.snapshot().start_failed);
    d.assert_quiet();
}

#[test]
fn hung_start_request_fails_with_request_timeout() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let id = id.unwrap();
    assert!(d.advance(29_999).is_empty());
    let out = d.advance(1);
    assert_eq!(out.aborts(), vec![id]);
    assert_eq!(out.settled(), vec![id]);
    let error = out.failure();
    assert_eq!(
        (error.kind, error.message.as_str()),
        (ErrorKind::RequestTimeout, "start request got no answer within 30000 ms")
    );
    assert!(d.snapshot().start_failed);
    // The reply that finally comes is ignored.
    assert!(d.reply(id, 200, START_UUID).is_empty());
    d.assert_quiet();
    assert_eq!((d.failed_count(), d.posts()), (1, 1));
}

#[test]
fn start_5xx_with_retry_token_polls_that_run() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.reply(id.unwrap(), 500, START_500_RETRY_TOKEN);
    assert_eq!(out.settled(), vec![id.unwrap()]);
    assert!(out.failures().is_empty());
    let poll = out.get();
    assert_eq!(poll.url, state_url(UUID));
    let snapshot = d.snapshot();
    assert!(!snapshot.start_failed);
    assert_eq!((snapshot.phase, snapshot.error.as_ref()), (Phase::Polling, None));
    let poll = d.keep_processing(&poll, STATE_PROCESSING);
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!((d.posts(), d.succeeded_count(), d.failed_count()), (1, 1, 0));
}

// 5. Upgrade from the numeric id to the UUID.

#[test]
fn numeric_polling_switches_to_the_uuid_a_state_body_carries() {
    let mut d = Driver::new();
    let poll = d.start("q", START_LEGACY);
    assert_eq!(poll.url, state_url("4821"));
    // A body without a (valid) sentry_run_id changes nothing.
    let poll = d.keep_processing(&poll, STATE_PENDING);
    assert_eq!(poll.url, state_url("4821"));
    let bad = json!({"sentry_run_id": "not-a-uuid", "session": {"status": "processing"}}).to_string();
    let poll = d.keep_processing(&poll, &bad);
    assert_eq!(poll.url, state_url("4821"));
    // state-processing.json carries the UUID at the top level.
    let poll = d.keep_processing(&poll, STATE_PROCESSING);
    assert_eq!(poll.url, state_url(UUID));
    assert_eq!(d.view()["runId"], json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}));
    // Once on the UUID, another UUID in a body does not move it.
    let other = json!({"sentry_run_id": OTHER_UUID, "session": {"status": "processing"}}).to_string();
    let poll = d.keep_processing(&poll, &other);
    assert_eq!(poll.url, state_url(UUID));
}

#[test]
fn uuid_polling_ignores_a_different_uuid_in_state_bodies() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let other = json!({"sentry_run_id": OTHER_UUID, "session": {"status": "processing"}}).to_string();
    let poll = d.keep_processing(&poll, &other);
    assert_eq!(poll.url, state_url(UUID));
}

// 6. Transient poll failures back off; other 4xx end the run.

#[test]
fn transient_failures_back_off_and_a_success_ends_the_backoff() {
    type Fail = fn(&mut Driver, RequestId) -> Out;
    let cases: [(&str, Fail); 6] = [
        ("network", |d, id| d.network(id)),
        ("500", |d, id| d.reply(id, 500, r#"{"detail": "oops"}"#)),
        ("503 html", |d, id| d.reply(id, 503, "<html>unavailable</html>")),
        ("429", |d, id| d.reply(id, 429, "")),
        ("408", |d, id| d.reply(id, 408, "")),
        ("200 not json", |d, id| d.reply(id, 200, "<html>proxy</html>")),
    ];
    for (name, fail) in cases {
        let mut d = Driver::new();
        let poll = d.start("q", START_UUID);
        let out = fail(&mut d, poll.id);
        assert!(out.nothing_sent() && out.failures().is_empty(), "{name}: {out:?}");
        assert_eq!(d.phase(), Phase::Backoff, "{name}");
        assert_eq!(d.view()["isPending"], json!(true), "{name}");
        assert_eq!(d.snapshot().error, None, "{name}");
        assert!(d.last_failure().is_some(), "{name}");
        assert_eq!(d.poller.poll_timeout(), Some(d.now + 2_500), "{name}");
        assert!(d.advance(2_499).is_empty(), "{name}");
        let retry = d.advance(1).get();
        assert_eq!(retry.url, state_url(UUID));
        // Still failing: stays in backoff, no new publish.
        let out = fail(&mut d, retry.id);
        assert!(!out.published(), "{name}");
        let retry = d.advance(2_500).get();
        let out = d.reply(retry.id, 200, STATE_PROCESSING);
        assert!(out.published(), "{name}");
        assert_eq!((d.phase(), d.last_failure()), (Phase::Polling, None), "{name}");
        assert_eq!(d.poller.poll_timeout(), Some(d.now + 500), "{name}");
        d.advance(500).get();
    }
}

#[test]
fn retry_after_is_honoured_when_longer() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    // Longer than errorPollIntervalMs: used; shorter or unreadable: the interval; huge: capped at maxErrorWindowMs.
    for (retry_after, wait) in [("10", 10_000), ("1", 2_500), ("0", 2_500), ("soon", 2_500), ("3600", 60_000)] {
        let out = d.reply_full(poll.id, 429, "", Some(retry_after), 0);
        assert!(out.nothing_sent() && out.failures().is_empty(), "{retry_after}");
        assert_eq!(d.phase(), Phase::Backoff);
        assert_eq!(d.poller.poll_timeout(), Some(d.now + wait), "{retry_after}");
        assert!(d.advance(wait - 1).is_empty(), "{retry_after}");
        poll = d.advance(1).get();
    }
}

#[test]
fn retry_after_as_an_http_date_and_on_a_5xx() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 s after the epoch; the answer came 7 s before.
    let out = d.reply_full(poll.id, 503, "", Some("Wed, 21 Oct 2015 07:28:00 GMT"), 1_445_412_473_000);
    assert!(out.nothing_sent());
    assert_eq!(d.poller.poll_timeout(), Some(d.now + 7_000));
}

#[test]
fn consecutive_failures_give_up_after_the_error_window() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let first_failure = d.now;
    let mut out = d.network(poll.id);
    let mut failures = 1;
    while d.phase() == Phase::Backoff {
        let retry = d.advance(2_500).get();
        out = d.network(retry.id);
        failures += 1;
    }
    // Failures at 0, 2.5 s, ..., 60 s: the one at 60 s gives up.
    assert_eq!(failures, 25);
    assert_eq!(d.now - first_failure, 60_000);
    assert_eq!(d.phase(), Phase::Error);
    let error = out.failure();
    assert_eq!(error.kind, ErrorKind::Network);
    assert_eq!(d.snapshot().error.as_ref(), Some(&error));
    assert!(!d.snapshot().start_failed);
    d.assert_quiet();
    assert_eq!(d.failed_count(), 1);
}

#[test]
fn giving_up_on_http_failures_reports_http_and_the_status() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    loop {
        let out = d.reply(poll.id, 502, r#"{"detail": "bad gateway"}"#);
        if d.phase() == Phase::Error {
            let error = out.failure();
            assert_eq!(
                (error.kind, error.status, error.detail.as_deref()),
                (ErrorKind::Http, Some(502), Some("bad gateway"))
            );
            break;
        }
        poll = d.advance(2_500).get();
    }
    d.assert_quiet();
}

#[test]
fn a_success_restarts_the_error_window() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    for _ in 0..3 {
        // 50 s of failures, then one success: never 60 s in a row.
        for _ in 0..21 {
            d.reply(poll.id, 503, "");
            assert_eq!(d.phase(), Phase::Backoff);
            poll = d.advance(2_500).get();
        }
        // Keep updated_at moving so that the run does not go stale.
        let body = processing(Some(&format!("t{}", d.now)));
        poll = d.keep_processing(&poll, &body);
        assert_eq!(d.phase(), Phase::Polling);
    }
    assert_eq!(d.failed_count(), 0);
}

#[test]
fn the_same_answer_after_a_failure_ends_the_backoff() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let poll = d.keep_processing(&poll, STATE_PROCESSING);
    d.reply(poll.id, 503, "");
    assert_eq!(d.phase(), Phase::Backoff);
    let retry = d.advance(2_500).get();
    // Byte for byte the answer before the failure.
    let out = d.reply(retry.id, 200, STATE_PROCESSING);
    assert!(out.published());
    assert_eq!(d.phase(), Phase::Polling);
    assert_eq!(d.poller.poll_timeout(), Some(d.now + 500));
    // The error window starts afresh: 57.5 s of failures from here do not give up.
    let mut poll = d.advance(500).get();
    for _ in 0..24 {
        d.reply(poll.id, 503, "");
        assert_eq!(d.phase(), Phase::Backoff);
        poll = d.advance(2_500).get();
    }
    assert_eq!(d.failed_count(), 0);
}

#[test]
fn hung_poll_is_aborted_and_counts_as_a_transient_failure() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    assert!(d.advance(29_999).is_empty());
    let out = d.advance(1);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert!(out.nothing_sent() && out.failures().is_empty());
    assert_eq!(d.phase(), Phase::Backoff);
    // Its late reply is ignored, whatever it says.
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    assert_eq!(d.phase(), Phase::Backoff);
    let retry = d.advance(2_500).get();
    d.reply(retry.id, 200, STATE_COMPLETED);
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!(d.succeeded_count(), 1);
}

#[test]
fn hung_polls_give_up_with_request_timeout() {
    let mut d = Driver::new();
    d.start("q", START_UUID);
    let out = d.advance(10 * 60 * 1000);
    // Each poll hangs for 30 s, then waits 2.5 s: the give-up comes at the third timeout (65 s in).
    assert_eq!(out.aborts().len(), 3);
    let error = out.failure();
    assert_eq!(error.kind, ErrorKind::RequestTimeout);
    assert!(
        error.message.starts_with("state request got no answer within 30000 ms; gave up after"),
        "{}",
        error.message
    );
    assert_eq!(d.phase(), Phase::Error);
    d.assert_quiet();
}

#[test]
fn terminal_http_answers_end_the_run_at_once() {
    for (status, body, detail) in [
        (400, STATE_400, Some("Invalid run_id")),
        (403, r#"{"detail": "You do not have permission"}"#, Some("You do not have permission")),
        (404, STATE_404, None),
        (401, "", None),
    ] {
        let mut d = Driver::new();
        let poll = d.start("q", START_UUID);
        let out = d.reply(poll.id, status, body);
        assert!(out.nothing_sent());
        let error = out.failure();
        assert_eq!(
            (error.kind, error.status, error.detail.as_deref()),
            (ErrorKind::Http, Some(status), detail),
            "{status}"
        );
        assert_eq!(d.phase(), Phase::Error);
        assert_eq!(d.view()["error"]["kind"], json!("http"));
        assert_eq!(d.view()["error"]["status"], json!(status));
        assert!(!d.snapshot().start_failed);
        d.assert_quiet();
        assert_eq!(d.failed_count(), 1);
    }
}

#[test]
fn terminal_http_answer_during_backoff_ends_the_run() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.network(poll.id);
    let retry = d.advance(2_500).get();
    let out = d.reply(retry.id, 404, STATE_404);
    assert_eq!(out.failure().status, Some(404));
    assert_eq!(d.phase(), Phase::Error);
    d.assert_quiet();
}

#[test]
fn null_session_in_a_200_ends_the_run_with_decode() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, STATE_404);
    assert_eq!(out.failure().kind, ErrorKind::Decode);
    assert_eq!(d.phase(), Phase::Error);
    d.assert_quiet();
}

// 7. Stale runs and runs past their budget time out.

#[test]
fn unchanged_updated_at_times_out_after_stale_after() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    let body = processing(Some("2026-05-11T10:00:01Z"));
    let changed_at = d.now;
    loop {
        let out = d.reply(poll.id, 200, &body);
        if d.phase() != Phase::Polling {
            let error = out.failure();
            assert_eq!(error.kind, ErrorKind::Timeout);
            break;
        }
        assert!(d.now - changed_at < 120_000);
        poll = d.advance(500).get();
    }
    assert_eq!(d.phase(), Phase::TimedOut);
    assert!(d.now - changed_at >= 120_000 && d.now - changed_at < 120_500, "{}", d.now - changed_at);
    let view = d.view();
    assert_eq!((view["isError"].clone(), view["isPending"].clone()), (json!(true), json!(false)));
    assert_eq!(view["error"]["kind"], json!("timeout"));
    // The last session is kept.
    assert_eq!(view["sessionData"]["status"], json!("processing"));
    d.assert_quiet();
    assert_eq!(d.failed_count(), 1);
}

#[test]
fn session_without_updated_at_counts_as_unchanged() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    let changed_at = d.now;
    // The status-only pending session, then sessions whose step moves on but that carry no
    // updated_at: none of them counts as progress.
    let mut i = 0;
    while d.phase() == Phase::Polling {
        let body = if i < 10 {
            STATE_PENDING.to_owned()
        } else {
            json!({"session": {"status": "processing", "current_step": {"key": format!("step_{i}")}}}).to_string()
        };
        let out = d.reply(poll.id, 200, &body);
        if d.phase() == Phase::Polling {
            assert_eq!(out.published(), i == 0 || i >= 10, "{i}");
            poll = d.advance(500).get();
        }
        i += 1;
    }
    assert_eq!(d.phase(), Phase::TimedOut);
    assert!(d.now - changed_at >= 120_000 && d.now - changed_at < 120_500);
}

#[test]
fn stale_clock_runs_from_the_last_new_updated_at() {
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    // A for 100 s, then B: the stale clock restarts when B arrives.
    let mut b_at = None;
    while d.phase() == Phase::Polling {
        let at = if d.now < 100_000 { "A" } else { "B" };
        d.reply(poll.id, 200, &processing(Some(at)));
        if at == "B" && b_at.is_none() {
            b_at = Some(d.now);
        }
        if d.phase() == Phase::Polling {
            poll = d.advance(500).get();
        }
    }
    let b_at = b_at.unwrap();
    assert_eq!(d.phase(), Phase::TimedOut);
    assert!(d.now - b_at >= 120_000 && d.now - b_at < 120_500, "{}", d.now - b_at);
}

#[test]
fn moving_updated_at_runs_until_max_run() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let submitted = d.now;
    let mut poll = d.reply(id.unwrap(), 200, START_UUID).get();
    let mut out;
    loop {
        d.reply(poll.id, 200, &processing(Some(&format!("t{}", d.now))));
        assert_eq!(d.phase(), Phase::Polling);
        out = d.advance(500);
        match out.sends().first() {
            Some(next) => poll = next.clone(),
            None => break,
        }
        if d.now - submitted >= 300_000 {
            break;
        }
    }
    // The budget ran out at exactly maxRunMs, with or without a poll in flight.
    if d.phase() != Phase::TimedOut {
        out = d.advance_to(submitted + 300_000);
    }
    assert_eq!(d.phase(), Phase::TimedOut);
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert!(d.now <= submitted + 300_000);
    d.assert_quiet();
    assert_eq!(d.failed_count(), 1);
}

#[test]
fn max_run_aborts_the_request_in_flight() {
    let timings = Timings { request_timeout: 1_000_000, stale_after: 1_000_000, ..Timings::default() };
    let mut d = Driver::with(timings);
    let poll = d.start("q", START_UUID);
    // The poll never answers; the run ends at 300 s after the submit, aborting it.
    let out = d.advance_to(300_000);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert_eq!(d.phase(), Phase::TimedOut);
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    d.assert_quiet();
}

#[test]
fn max_run_covers_a_hung_start_request() {
    let timings = Timings { request_timeout: 1_000_000, ..Timings::default() };
    let mut d = Driver::with(timings);
    let (id, _) = d.submit("q");
    let out = d.advance_to(300_000);
    assert_eq!(out.aborts(), vec![id.unwrap()]);
    assert_eq!(out.settled(), vec![id.unwrap()]);
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert_eq!(d.phase(), Phase::TimedOut);
    assert!(d.reply(id.unwrap(), 200, START_UUID).is_empty());
    d.assert_quiet();
}

#[test]
fn a_finished_answer_is_never_turned_into_a_timeout() {
    // Past maxRunMs: the answer arrives before the run's timer is handled.
    let mut d = Driver::with(Timings { request_timeout: 1_000_000, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    d.now = 300_000;
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!((d.succeeded_count(), d.failed_count()), (1, 0));

    // Past staleAfterMs with the same updated_at: the finishing answer wins too.
    let mut d = Driver::new();
    let mut poll = d.start("q", START_UUID);
    let body = processing(Some("A"));
    for _ in 0..240 {
        poll = d.keep_processing(&poll, &body);
    }
    assert!(d.now - 40 >= 120_000);
    let done = json!({"session": {"status": "completed", "updated_at": "A", "final_response": {"query": "x"}}});
    d.reply(poll.id, 200, &done.to_string());
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!((d.succeeded_count(), d.failed_count()), (1, 0));

    // A server-side error past the budget stays an error without onError.
    let mut d = Driver::with(Timings { request_timeout: 1_000_000, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    d.now = 400_000;
    d.reply(poll.id, 200, STATE_ERROR);
    assert_eq!((d.phase(), d.snapshot().error.as_ref()), (Phase::Error, None));
    assert_eq!(d.failed_count(), 0);
}

#[test]
fn a_processing_answer_past_max_run_times_out() {
    let mut d = Driver::with(Timings { request_timeout: 1_000_000, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    d.now = 300_000;
    let out = d.reply(poll.id, 200, &processing(Some("new")));
    assert!(out.nothing_sent());
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert_eq!(d.phase(), Phase::TimedOut);
}

// 8. Resubmitting.

#[test]
fn same_query_while_active_is_ignored() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let (again, out) = d.submit("q");
    assert_eq!(again, None);
    assert!(out.is_empty());
    let poll = d.reply(id.unwrap(), 200, START_UUID).get();
    assert!(d.submit("q").1.is_empty());
    d.network(poll.id);
    assert_eq!(d.phase(), Phase::Backoff);
    assert!(d.submit("q").1.is_empty());
    d.hide();
    assert!(d.submit("q").1.is_empty());
    assert_eq!(d.posts(), 1);
}

#[test]
fn same_query_after_the_run_ended_starts_a_new_run() {
    // After completion.
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 200, STATE_COMPLETED);
    let (id, out) = d.submit("q");
    assert_eq!(out.send().method, Method::Post);
    assert!(out.published());
    assert_eq!(d.phase(), Phase::Starting);
    assert_eq!(d.snapshot().session, None);
    d.reply(id.unwrap(), 200, START_LEGACY).get();
    assert_eq!(d.posts(), 2);

    // After a start failure: the new submit clears startFailed and the error.
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    d.reply(id.unwrap(), 500, r#"{"detail": "x"}"#);
    assert!(d.snapshot().start_failed && d.snapshot().error.is_some());
    let (_, out) = d.submit("q");
    out.send();
    assert!(!d.snapshot().start_failed);
    assert_eq!((d.phase(), d.snapshot().error.as_ref()), (Phase::Starting, None));
    assert_eq!(d.view()["isError"], json!(false));

    // After a timeout.
    let mut d = Driver::with(Timings { request_timeout: 1_000_000, ..Timings::default() });
    d.start("q", START_UUID);
    d.advance_to(300_000);
    assert_eq!(d.phase(), Phase::TimedOut);
    d.submit("q").1.send();
    assert_eq!(d.snapshot().error, None);
}

#[test]
fn a_different_query_drops_the_polling_run() {
    let mut d = Driver::new();
    let old = d.start("first", START_UUID);
    let (id, out) = d.submit("second");
    assert_eq!(out.aborts(), vec![old.id]);
    let start = out.send();
    assert_eq!(Some(start.id), id);
    assert_eq!(
        serde_json::from_str::<Value>(start.body.as_deref().unwrap()).unwrap()["natural_language_query"],
        json!("second")
    );
    assert_eq!(d.phase(), Phase::Starting);
    assert_eq!(d.snapshot().run_id, None);
    // The old poll's late reply changes nothing, whatever it says.
    let version = d.poller.version();
    for (status, body) in [(200, STATE_COMPLETED), (500, ""), (404, STATE_404)] {
        assert!(d.reply(old.id, status, body).is_empty());
    }
    assert!(d.network(old.id).is_empty());
    assert_eq!(d.poller.version(), version);
    let poll = d.reply(id.unwrap(), 200, START_LEGACY).get();
    assert_eq!(poll.url, state_url("4821"));
    // Still ignored later on.
    assert!(d.reply(old.id, 200, STATE_COMPLETED).is_empty());
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert_eq!((d.succeeded_count(), d.failed_count()), (1, 0));
}

#[test]
fn a_different_query_drops_the_starting_run() {
    let mut d = Driver::new();
    let (first, _) = d.submit("first");
    let first = first.unwrap();
    let (second, out) = d.submit("second");
    assert_eq!(out.aborts(), vec![first]);
    assert_eq!(out.settled(), vec![first]);
    out.send();
    // No publish: the snapshot is the same `starting` state.
    assert!(!out.published());
    // The first start's late answer, success or failure, is ignored.
    assert!(d.reply(first, 200, START_UUID).is_empty());
    assert!(d.reply(first, 500, START_500_RETRY_TOKEN).is_empty());
    assert!(d.network(first).is_empty());
    let out = d.reply(second.unwrap(), 200, START_LEGACY);
    assert_eq!(out.settled(), vec![second.unwrap()]);
    assert_eq!(out.get().url, state_url("4821"));
    assert_eq!(d.count(|a| matches!(a, Action::StartSettled(_))), 2);
}

#[test]
fn a_different_query_during_backoff_cancels_the_retry() {
    let mut d = Driver::new();
    let poll = d.start("first", START_UUID);
    d.network(poll.id);
    let (id, out) = d.submit("second");
    assert!(out.aborts().is_empty());
    out.send();
    // The old retry timer is gone: nothing but the new start is pending.
    assert!(d.advance(10_000).nothing_sent());
    d.reply(id.unwrap(), 200, START_UUID).get();
    assert_eq!(d.phase(), Phase::Polling);
}

#[test]
fn a_new_submit_after_an_error_ignores_the_old_run_entirely() {
    let mut d = Driver::new();
    let poll = d.start("first", START_UUID);
    d.reply(poll.id, 403, "");
    assert_eq!(d.phase(), Phase::Error);
    d.submit("second").1.send();
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    assert_eq!(d.phase(), Phase::Starting);
}

#[test]
fn blank_query_fails_at_once_and_sends_nothing() {
    for query in ["", "   ", "\n\t"] {
        let mut d = Driver::new();
        let (id, out) = d.submit(query);
        assert_eq!(id, None);
        assert!(out.nothing_sent());
        assert_eq!(out.failure().kind, ErrorKind::InvalidConfig);
        assert!(d.snapshot().start_failed);
        assert_eq!(d.phase(), Phase::Error);
        assert_eq!(d.snapshot().error.as_ref().map(|e| e.kind), Some(ErrorKind::InvalidConfig));
        d.assert_quiet();
    }
}

#[test]
fn blank_query_drops_the_active_run() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.submit(" ").1;
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(out.failure().kind, ErrorKind::InvalidConfig);
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    d.assert_quiet();
}

#[test]
fn a_second_blank_query_publishes_nothing_new() {
    let mut d = Driver::new();
    let out = d.submit("").1;
    assert!(out.published());
    let version = d.poller.version();
    // The same failure again: reported to onError, but the snapshot is unchanged.
    let out = d.submit("").1;
    assert_eq!(out.failure().kind, ErrorKind::InvalidConfig);
    assert!(!out.published());
    assert_eq!(d.poller.version(), version);
}

// 9. reset and dispose.

#[test]
fn reset_while_polling_returns_to_idle() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reset();
    assert_eq!(out.aborts(), vec![poll.id]);
    assert!(out.published() && out.nothing_sent());
    assert_eq!(*d.snapshot(), Snapshot::default());
    assert_eq!(d.view()["phase"], json!("idle"));
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    d.assert_quiet();
    // Resetting again changes nothing.
    assert!(d.reset().is_empty());
    // The same query starts afresh.
    d.submit("q").1.send();
}

#[test]
fn reset_while_starting_settles_the_start() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.reset();
    assert_eq!(out.aborts(), vec![id.unwrap()]);
    assert_eq!(out.settled(), vec![id.unwrap()]);
    assert!(out.failures().is_empty());
    assert!(d.reply(id.unwrap(), 200, START_UUID).is_empty());
    d.assert_quiet();
}

#[test]
fn reset_during_backoff_cancels_the_timer() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 503, "");
    let out = d.reset();
    assert!(out.aborts().is_empty());
    assert_eq!(d.phase(), Phase::Idle);
    d.assert_quiet();
}

#[test]
fn reset_after_an_error_clears_it() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    d.network(id.unwrap());
    assert!(d.reset().published());
    assert_eq!(*d.snapshot(), Snapshot::default());
}

#[test]
fn dispose_stops_for_good() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.dispose();
    assert_eq!(out.aborts(), vec![poll.id]);
    assert!(out.nothing_sent() && out.failures().is_empty());
    assert!(d.poller.is_disposed());
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    let (id, out) = d.submit("another");
    assert_eq!(id, None);
    assert!(out.is_empty());
    assert!(d.submit("").1.is_empty());
    d.hide();
    assert!(d.show().nothing_sent());
    // reset after dispose is ignored too: the snapshot stays as it was.
    let snapshot = d.snapshot().clone();
    assert!(d.reset().is_empty());
    assert_eq!(*d.snapshot(), snapshot);
    d.assert_quiet();
    assert_eq!((d.posts(), d.succeeded_count(), d.failed_count()), (1, 0, 0));
}

#[test]
fn dispose_while_starting_settles_the_start() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.dispose();
    assert_eq!(out.aborts(), vec![id.unwrap()]);
    assert_eq!(out.settled(), vec![id.unwrap()]);
    assert!(d.reply(id.unwrap(), 200, START_UUID).is_empty());
    d.assert_quiet();
}

#[test]
fn dispose_during_backoff_cancels_the_timer() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.network(poll.id);
    d.dispose();
    d.assert_quiet();
}

// 10. pauseWhenHidden.

#[test]
fn hidden_pauses_and_visible_polls_at_once() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    let out = d.hide();
    assert!(out.published());
    assert_eq!(d.phase(), Phase::Paused);
    assert_eq!(d.view()["isPending"], json!(true));
    assert_eq!(d.poller.poll_timeout(), None);
    // Nothing while hidden, however long.
    assert!(d.advance(3_600_000).is_empty());
    let out = d.show();
    assert!(out.published());
    assert_eq!(out.get().url, state_url(UUID));
    assert_eq!(d.phase(), Phase::Polling);
}

#[test]
fn hidden_while_a_poll_is_in_flight_pauses_after_its_answer() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    assert!(d.hide().is_empty());
    assert_eq!(d.phase(), Phase::Polling);
    let out = d.reply(poll.id, 200, STATE_PROCESSING);
    assert!(out.nothing_sent());
    assert_eq!(d.phase(), Phase::Paused);
    assert!(d.advance(60_000).is_empty());
    d.show().get();
}

#[test]
fn hidden_while_starting_pauses_after_the_start_answer() {
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    d.hide();
    assert_eq!(d.phase(), Phase::Starting);
    let out = d.reply(id.unwrap(), 200, START_UUID);
    assert!(out.nothing_sent());
    assert_eq!(d.phase(), Phase::Paused);
    assert_eq!(d.snapshot().run_id.as_ref().map(ToString::to_string).as_deref(), Some(UUID));
    assert!(d.advance(60_000).is_empty());
    assert_eq!(d.show().get().url, state_url(UUID));
}

#[test]
fn hidden_during_backoff_pauses_and_resumes_in_backoff() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.network(poll.id);
    d.hide();
    assert_eq!(d.phase(), Phase::Paused);
    assert!(d.advance(120_000).is_empty());
    let out = d.show();
    let retry = out.get();
    assert_eq!(d.phase(), Phase::Backoff);
    // A failure answered while hidden pauses as well.
    d.hide();
    d.network(retry.id);
    assert_eq!(d.phase(), Phase::Paused);
    assert_eq!(d.failed_count(), 0);
}

#[test]
fn paused_time_does_not_count_towards_max_run() {
    let mut d = Driver::with(Timings { stale_after: 1_000_000, ..Timings::default() });
    let (id, _) = d.submit("q");
    let mut poll = d.reply(id.unwrap(), 200, START_UUID).get();
    let mut paused = 0;
    let mut timeout_at = None;
    for i in 0.. {
        if d.phase() == Phase::TimedOut {
            timeout_at = Some(d.now);
            break;
        }
        d.reply(poll.id, 200, &processing(Some(&i.to_string())));
        if i % 100 == 50 {
            // Hidden for ten minutes, now and then.
            d.hide();
            assert_eq!(d.phase(), Phase::Paused);
            d.advance(600_000);
            paused += 600_000;
            poll = d.show().get();
        } else {
            let out = d.advance(500);
            match out.sends().into_iter().next() {
                Some(next) => poll = next,
                None => assert_eq!(d.phase(), Phase::TimedOut),
            }
        }
    }
    assert!(paused >= 600_000);
    assert_eq!(timeout_at, Some(300_000 + paused));
}

#[test]
fn paused_time_does_not_count_towards_staleness() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let body = processing(Some("A"));
    d.reply(poll.id, 200, &body);
    let changed_at = d.now;
    d.hide();
    d.advance(110_000);
    let mut poll = d.show().get();
    // 110 s hidden: staleness comes 120 s of visible time after the change, not 10 s.
    loop {
        d.reply(poll.id, 200, &body);
        if d.phase() == Phase::TimedOut {
            break;
        }
        poll = d.advance(500).get();
    }
    let visible = d.now - changed_at - 110_000;
    assert!((120_000..120_500).contains(&visible), "{visible}");
}

#[test]
fn paused_time_does_not_count_towards_the_error_window() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let first_failure = d.now;
    d.network(poll.id);
    let mut retry = d.advance(2_500).get();
    d.network(retry.id);
    d.hide();
    d.advance(3_600_000);
    retry = d.show().get();
    loop {
        let out = d.network(retry.id);
        if d.phase() == Phase::Error {
            assert_eq!(out.failure().kind, ErrorKind::Network);
            break;
        }
        retry = d.advance(2_500).get();
    }
    assert_eq!(d.now - first_failure - 3_600_000, 60_000);
}

#[test]
fn repeated_hidden_events_keep_the_first_pause() {
    let mut d = Driver::with(Timings { stale_after: 1_000_000, request_timeout: 1_000_000, ..Timings::default() });
    let (id, _) = d.submit("q");
    let poll = d.reply(id.unwrap(), 200, START_UUID).get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.hide();
    d.advance(250_000);
    // A second `hidden` while already paused must not restart the pause.
    assert!(d.hide().is_empty());
    d.advance(250_000);
    let poll = d.show().get();
    // 500 s hidden: the 300 s budget ends 300 s of visible time after the submit.
    assert!(d.advance_to(299_999 + 500_000).aborts().is_empty());
    let out = d.advance(1);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(d.phase(), Phase::TimedOut);
}

#[test]
fn without_pause_when_hidden_polling_goes_on() {
    let mut d = Driver::with(Timings { pause_when_hidden: false, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    assert!(d.hide().is_empty());
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert_eq!(d.phase(), Phase::Polling);
    let poll = d.advance(500).get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert!(d.show().is_empty());
}

#[test]
fn visibility_outside_a_run_does_nothing() {
    let mut d = Driver::new();
    assert!(d.hide().is_empty() && d.show().is_empty());
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert!(d.hide().is_empty() && d.show().is_empty());
    d.assert_quiet();
}

#[test]
fn submit_while_hidden_starts_then_pauses() {
    let mut d = Driver::new();
    d.hide();
    let (id, out) = d.submit("q");
    assert_eq!(out.send().method, Method::Post);
    let out = d.reply(id.unwrap(), 200, START_UUID);
    assert!(out.nothing_sent());
    assert_eq!(d.phase(), Phase::Paused);
    d.show().get();
}

// 11. Listeners hear of changes only.

#[test]
fn equal_sessions_publish_nothing() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, STATE_PROCESSING);
    assert!(out.published());
    let version = d.poller.version();
    let mut poll = d.advance(500).get();
    for _ in 0..5 {
        // The same session, even with its keys in another order and different whitespace.
        let reordered: Value = serde_json::from_str(STATE_PROCESSING).unwrap();
        let out = d.reply(poll.id, 200, &serde_json::to_string_pretty(&reordered).unwrap());
        assert!(!out.published(), "{out:?}");
        poll = d.advance(500).get();
    }
    assert_eq!(d.poller.version(), version);
    // A change is published once.
    let mut changed: Value = serde_json::from_str(STATE_PROCESSING).unwrap();
    changed["session"]["completed_steps"] = json!([{"key": "understanding_query"}, {"key": "searching_attributes"}]);
    let out = d.reply(poll.id, 200, &changed.to_string());
    assert!(out.published());
    assert_eq!(d.poller.version(), version + 1);
    assert_eq!(d.view()["completedSteps"].as_array().unwrap().len(), 2);
}

#[test]
fn every_change_is_published_once_and_sends_never_publish_alone() {
    let mut d = Driver::new();
    // submit: idle -> starting.
    let (id, out) = d.submit("q");
    assert!(out.published());
    // start answer: run id and polling.
    let poll = d.reply(id.unwrap(), 200, START_LEGACY).get();
    assert_eq!(d.poller.version(), 2);
    // A poll sent on its timer changes nothing visible.
    let out = d.reply(poll.id, 200, STATE_PENDING);
    assert!(out.published());
    let out = d.advance(500);
    assert!(!out.published());
    out.get();
    // The Driver checks Publish == changed on every step; the version counts them.
    assert_eq!(d.poller.version(), 3);
}

#[test]
fn callbacks_come_after_the_publish_that_shows_them() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 200, STATE_COMPLETED);
    let publish = out.0.iter().position(|a| *a == Action::Publish).unwrap();
    let success = out.0.iter().position(|a| matches!(a, Action::Succeeded(_))).unwrap();
    assert!(publish < success);

    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.reply(poll.id, 403, "");
    let publish = out.0.iter().position(|a| *a == Action::Publish).unwrap();
    let failure = out.0.iter().position(|a| matches!(a, Action::Failed(_))).unwrap();
    assert!(publish < failure);
}

// 12. Offline: paused as while hidden, and why the poller is paused, in the snapshot.

#[test]
fn offline_pauses_and_online_polls_at_once() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert!(d.offline().published());
    assert_eq!((d.phase(), d.paused_by()), (Phase::Paused, Some(PauseReason::Offline)));
    assert_eq!(d.view()["pausedBy"], json!("offline"));
    assert_eq!(d.poller.poll_timeout(), None);
    assert!(d.advance(3_600_000).is_empty());
    let out = d.online();
    assert!(out.published());
    assert_eq!(out.get().url, state_url(UUID));
    assert_eq!((d.phase(), d.paused_by()), (Phase::Polling, None));
    assert_eq!(d.view()["pausedBy"], Value::Null);
}

#[test]
fn offline_pauses_even_without_pause_when_hidden() {
    let mut d = Driver::with(Timings { pause_when_hidden: false, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    d.offline();
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert_eq!(d.paused_by(), Some(PauseReason::Offline));
    assert!(d.advance(60_000).is_empty());
    d.online().get();
}

#[test]
fn a_failure_while_offline_pauses_and_the_window_waits() {
    // The request in flight when the network went away fails; the run pauses instead of
    // spending its error window, however long the browser stays offline.
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    assert!(d.offline().is_empty());
    d.network(poll.id);
    assert_eq!(
        (d.phase(), d.paused_by(), d.last_failure()),
        (Phase::Paused, Some(PauseReason::Offline), Some(ErrorKind::Network))
    );
    assert!(d.advance(10 * 60_000).is_empty());
    let retry = d.online().get();
    assert_eq!(d.phase(), Phase::Backoff);
    d.reply(retry.id, 200, STATE_COMPLETED);
    assert_eq!((d.phase(), d.last_failure()), (Phase::Completed, None));
    assert_eq!((d.succeeded_count(), d.failed_count(), d.posts()), (1, 0, 1));
}

#[test]
fn hidden_and_offline_report_offline_until_back_online() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.hide();
    assert_eq!(d.paused_by(), Some(PauseReason::Hidden));
    let out = d.offline();
    assert!(out.published() && out.nothing_sent());
    assert_eq!(d.paused_by(), Some(PauseReason::Offline));
    // Online while hidden: still paused, now because hidden.
    let out = d.online();
    assert!(out.published() && out.nothing_sent());
    assert_eq!((d.phase(), d.paused_by()), (Phase::Paused, Some(PauseReason::Hidden)));
    d.offline();
    assert!(d.show().nothing_sent());
    assert_eq!(d.paused_by(), Some(PauseReason::Offline));
    d.online().get();
    assert_eq!((d.phase(), d.paused_by()), (Phase::Polling, None));
}

#[test]
fn offline_time_does_not_count_towards_max_run() {
    let mut d = Driver::with(Timings { stale_after: 1_000_000, request_timeout: 1_000_000, ..Timings::default() });
    let (id, _) = d.submit("q");
    let poll = d.reply(id.unwrap(), 200, START_UUID).get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.offline();
    d.advance(400_000);
    let poll = d.online().get();
    assert!(d.advance_to(299_999 + 400_000).aborts().is_empty());
    assert_eq!(d.advance(1).aborts(), vec![poll.id]);
    assert_eq!(d.phase(), Phase::TimedOut);
}

#[test]
fn connectivity_outside_a_run_does_nothing_and_a_submit_offline_still_starts() {
    let mut d = Driver::new();
    assert!(d.offline().is_empty() && d.online().is_empty());
    d.offline();
    let (id, out) = d.submit("q");
    assert_eq!(out.send().method, Method::Post);
    assert!(d.reply(id.unwrap(), 200, START_UUID).nothing_sent());
    assert_eq!((d.phase(), d.paused_by()), (Phase::Paused, Some(PauseReason::Offline)));
    d.online().get();
}

// 13. Slow and unreachable told apart; a started run the server forgot.

#[test]
fn slow_and_unreachable_are_told_apart_while_retrying() {
    let mut d = Driver::with(Timings { request_timeout: 1_000, ..Timings::default() });
    let poll = d.start("q", START_UUID);
    let out = d.advance(1_000);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!((d.phase(), d.last_failure()), (Phase::Backoff, Some(ErrorKind::RequestTimeout)));
    assert_eq!(d.view()["lastFailure"]["kind"], json!("request_timeout"));
    assert_eq!(d.view()["lastFailure"]["message"], json!("state request got no answer within 1000 ms"));
    let retry = d.advance(2_500).get();
    let out = d.network(retry.id);
    assert!(out.published());
    assert_eq!(d.last_failure(), Some(ErrorKind::Network));
    assert_eq!(d.view()["error"], Value::Null);
    let retry = d.advance(2_500).get();
    d.reply(retry.id, 200, STATE_PROCESSING);
    assert_eq!((d.phase(), d.last_failure()), (Phase::Polling, None));
}

#[test]
fn giving_up_keeps_the_last_kind_and_clears_the_last_failure() {
    let mut d = Driver::with(Timings { request_timeout: 1_000, max_error_window: 5_000, ..Timings::default() });
    d.start("q", START_UUID);
    let out = d.advance(60_000);
    assert_eq!(out.failure().kind, ErrorKind::RequestTimeout);
    assert_eq!((d.phase(), d.last_failure()), (Phase::Error, None));
    assert_eq!(d.snapshot().error.as_ref().map(|e| e.kind), Some(ErrorKind::RequestTimeout));
}

#[test]
fn a_404_on_a_started_run_says_the_server_no_longer_knows_it() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let poll = d.keep_processing(&poll, STATE_PROCESSING);
    let error = d.reply(poll.id, 404, STATE_404).failure();
    assert_eq!((error.kind, error.status), (ErrorKind::Http, Some(404)));
    assert_eq!(error.message, format!("the server no longer knows run {UUID} (HTTP 404)"));
    assert_eq!(d.phase(), Phase::Error);
    d.assert_quiet();
    // A new question works.
    let (id, _) = d.submit("another");
    d.reply(id.unwrap(), 200, START_LEGACY).get();
    assert_eq!(d.phase(), Phase::Polling);
}

// 14. resume: polling a run by its id, without a start request.

fn resumed_by(id: Value) -> (Driver, Out) {
    let mut d = Driver::new();
    let out = d.resume(id, None);
    (d, out)
}

#[test]
fn resume_accepts_every_form_of_run_id_and_polls_at_once() {
    let numeric = json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821});
    let both = json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821});
    for (id, url, view) in [
        (both.clone(), UUID, both.clone()),
        (
            json!(UUID.to_uppercase()),
            UUID,
            json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": null}),
        ),
        (
            json!(format!("{{{UUID}}}")),
            UUID,
            json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": null}),
        ),
        (json!(4821), "4821", numeric.clone()),
        (json!("4821"), "4821", numeric.clone()),
        (numeric.clone(), "4821", numeric.clone()),
    ] {
        let (d, out) = resumed_by(id.clone());
        assert!(out.published(), "{id}");
        assert_eq!(out.get().url, state_url(url), "{id}");
        assert!(out.settled().is_empty() && out.failures().is_empty(), "{id}");
        assert_eq!(d.phase(), Phase::Polling, "{id}");
        assert_eq!(d.view()["runId"], view, "{id}");
        assert_eq!(d.view()["isPending"], json!(true), "{id}");
        assert_eq!(d.posts(), 0);
    }
}

#[test]
fn resume_with_a_malformed_id_fails_and_sends_nothing() {
    for id in [
        json!(""),
        json!("abc"),
        json!("../x"),
        json!("4821/"),
        json!("-1"),
        json!(0),
        json!(-3),
        json!(1.5),
        json!(9_007_199_254_740_992_u64),
        json!(null),
        json!(true),
        json!([1]),
        json!({}),
        json!({"value": "../x"}),
    ] {
        let (mut d, out) = resumed_by(id.clone());
        assert!(out.nothing_sent(), "{id}");
        let error = out.failure();
        assert_eq!(error.kind, ErrorKind::InvalidRunId, "{id}");
        assert_eq!(d.snapshot().error.as_ref(), Some(&error), "{id}");
        assert_eq!((d.phase(), d.snapshot().start_failed, d.snapshot().run_id.as_ref()), (Phase::Error, false, None));
        d.assert_quiet();
    }
}

#[test]
fn a_malformed_resume_drops_the_run_under_way() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID);
    let out = d.resume(json!("nope"), None);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(out.failure().kind, ErrorKind::InvalidRunId);
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    d.assert_quiet();
}

#[test]
fn a_resumed_run_behaves_as_a_started_one() {
    // Backoff, the upgrade from the numeric id, completion and onSuccess.
    let mut d = Driver::new();
    let poll = d.resume(json!(4821), None).get();
    d.reply(poll.id, 503, "");
    assert_eq!((d.phase(), d.last_failure()), (Phase::Backoff, Some(ErrorKind::Http)));
    let retry = d.advance(2_500).get();
    assert_eq!(retry.url, state_url("4821"));
    let poll = d.keep_processing(&retry, STATE_PROCESSING);
    assert_eq!(poll.url, state_url(UUID));
    assert_eq!(d.view()["runId"], json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}));
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert_eq!(d.phase(), Phase::Completed);
    assert_eq!((d.succeeded_count(), d.failed_count(), d.posts()), (1, 0, 0));

    // Its budget runs from the resume.
    let mut d = Driver::with(Timings { request_timeout: 1_000_000, ..Timings::default() });
    d.advance(5_000);
    let poll = d.resume(json!(UUID), None).get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.advance_to(5_000 + 299_999);
    assert_eq!(d.phase(), Phase::Polling);
    let out = d.advance(1);
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert_eq!(d.phase(), Phase::TimedOut);

    // Hidden: paused at once, with the id set; shown: polled.
    let mut d = Driver::new();
    d.hide();
    assert!(d.resume(json!(UUID), None).nothing_sent());
    assert_eq!((d.phase(), d.paused_by()), (Phase::Paused, Some(PauseReason::Hidden)));
    assert!(d.snapshot().run_id.is_some());
    assert_eq!(d.show().get().url, state_url(UUID));
}

#[test]
fn resume_supersedes_the_run_under_way() {
    // A polling run: its request is aborted and its late answer ignored.
    let mut d = Driver::new();
    let poll = d.start("q", START_LEGACY);
    let out = d.resume(json!(OTHER_UUID), None);
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(out.get().url, state_url(OTHER_UUID));
    assert!(d.reply(poll.id, 200, STATE_COMPLETED).is_empty());
    assert_eq!(d.snapshot().session, None);

    // A starting run: its start settles, and its answer is ignored.
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    let out = d.resume(json!(UUID), None);
    assert_eq!((out.aborts(), out.settled()), (vec![id.unwrap()], vec![id.unwrap()]));
    let poll = out.get();
    assert!(d.reply(id.unwrap(), 200, START_LEGACY).is_empty());
    d.reply(poll.id, 200, STATE_COMPLETED);
    assert_eq!(d.phase(), Phase::Completed);

    // A run that ended with an error: cleared.
    let mut d = Driver::new();
    let (id, _) = d.submit("q");
    d.reply(id.unwrap(), 500, "");
    d.resume(json!(UUID), None).get();
    assert_eq!((d.snapshot().start_failed, d.snapshot().error.as_ref()), (false, None));
}

#[test]
fn resuming_the_run_under_way_does_nothing() {
    let mut d = Driver::new();
    let poll = d.start("q", START_UUID_PICKED_UP);
    for id in [json!(UUID), json!(4821), json!("4821"), json!(UUID.to_uppercase())] {
        assert!(d.resume(id.clone(), None).is_empty(), "{id}");
    }
    d.network(poll.id);
    assert!(d.resume(json!(UUID), None).is_empty());
    let mut d = Driver::new();
    let poll = d.resume(json!(4821), None).get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    // Upgraded to the UUID: still the same run, by either id.
    assert!(d.resume(json!(UUID), None).is_empty() && d.resume(json!(4821), None).is_empty());
    // A finished run is resumed again.
    let poll = d.advance(500).get();
    d.reply(poll.id, 200, STATE_COMPLETED);
    d.resume(json!(UUID), None).get();
}

#[test]
fn a_resumed_run_the_server_does_not_know_is_gone() {
    let mut d = Driver::new();
    let poll = d.resume(json!(UUID), Some("q")).get();
    // Transient failures first do not change it.
    d.network(poll.id);
    let retry = d.advance(2_500).get();
    let out = d.reply(retry.id, 404, STATE_404);
    assert!(out.published() && out.failures().is_empty() && out.successes().is_empty());
    assert_eq!(d.phase(), Phase::Gone);
    let view = d.view();
    assert_eq!((&view["phase"], &view["isPending"], &view["isError"]), (&json!("gone"), &json!(false), &json!(false)));
    assert_eq!((&view["error"], &view["lastFailure"]), (&Value::Null, &Value::Null));
    assert_eq!(view["runId"]["value"], json!(UUID));
    d.assert_quiet();
    assert_eq!(d.failed_count(), 0);
    // A new question works, and asks again: the gone run is no longer under way.
    let (id, out) = d.submit("q");
    out.send();
    d.reply(id.unwrap(), 200, START_LEGACY).get();

    // Once the server has answered a session, a 404 is the server forgetting the run: an error.
    let mut d = Driver::new();
    let poll = d.resume(json!(UUID), None).get();
    let poll = d.keep_processing(&poll, STATE_PENDING);
    let error = d.reply(poll.id, 404, STATE_404).failure();
    assert_eq!((d.phase(), error.status), (Phase::Error, Some(404)));
    assert!(error.message.contains("no longer knows"), "{}", error.message);

    // Other refusals of a resumed id are errors.
    let mut d = Driver::new();
    let poll = d.resume(json!(4821), None).get();
    let error = d.reply(poll.id, 400, STATE_400).failure();
    assert_eq!((d.phase(), error.status, error.detail.as_deref()), (Phase::Error, Some(400), Some("Invalid run_id")));
}

#[test]
fn submitting_the_question_of_a_resumed_run() {
    // With the question given to resume: the same question is the run under way.
    let mut d = Driver::new();
    let poll = d.resume(json!(UUID), Some("slow spans")).get();
    let (id, out) = d.submit("slow spans");
    assert!(id.is_none() && out.is_empty());
    // Another question replaces it.
    let (_, out) = d.submit("errors");
    assert_eq!(out.aborts(), vec![poll.id]);
    assert_eq!(out.send().method, Method::Post);

    // Without a question, or with a blank one, any question starts a new run.
    for query in [None, Some("  ")] {
        let mut d = Driver::new();
        let poll = d.resume(json!(UUID), query).get();
        let (_, out) = d.submit("slow spans");
        assert_eq!(out.aborts(), vec![poll.id]);
        assert_eq!(out.send().method, Method::Post);
    }
}

#[test]
fn resume_after_dispose_does_nothing() {
    let mut d = Driver::new();
    d.dispose();
    assert!(d.resume(json!(UUID), None).is_empty());
    assert!(d.resume(json!("bad"), None).is_empty());
    assert_eq!(d.phase(), Phase::Idle);
}

// 14. set_options: what defines a run applies to the next run; what shapes requests applies to
//     the run under way from its next request or wait.

/// The options of the organization `org` with the projects `ids` and `timings`.
fn options(org: &str, ids: &[f64], timings: Timings) -> (Endpoints, StartTemplate, Timings) {
    let input = StartRequestInput {
        project_ids: ids.to_vec(),
        strategy: "Logs".into(),
        referrer: Some("settings".into()),
        ..Default::default()
    };
    (Endpoints::new(org, Some("/v2")).unwrap(), StartTemplate::new(input).unwrap(), timings)
}

impl Driver {
    fn set_options(&mut self, (endpoints, template, timings): (Endpoints, StartTemplate, Timings)) -> Out {
        self.step(|p, now| p.set_options(now, endpoints, template, timings))
    }

    fn set_timings(&mut self, timings: Timings) -> Out {
        self.set_options(options("acme", &[1.0, 2.0], timings))
    }
}

#[test]
fn a_new_organization_and_projects_apply_to_the_next_run() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    // Changed while a poll is in flight: nothing is aborted, sent or published.
    assert!(d.set_options(options("other", &[3.0], Timings::default())).is_empty());
    // The run under way keeps polling where it started, with no new start.
    let next = d.keep_processing(&poll, STATE_PROCESSING);
    assert_eq!(next.url, state_url(UUID));
    d.reply(next.id, 200, STATE_PROCESSING);
    assert_eq!(d.posts(), 1);
    // The next question is asked of the new organization, with the new projects.
    let (_, out) = d.submit("errors");
    let start = out.send();
    assert_eq!(start.url, "/v2/organizations/other/search-agent/start/");
    assert_eq!(
        start.body.as_deref(),
        Some(r#"{"natural_language_query":"errors","project_ids":[3],"strategy":"Logs","referrer":"settings"}"#)
    );
    let poll = d.reply(start.id, 200, START_UUID).get();
    assert_eq!(poll.url, format!("/v2/organizations/other/search-agent/state/{UUID}/"));
}

#[test]
fn options_changed_while_starting_apply_to_the_next_run() {
    let mut d = Driver::new();
    let (id, _) = d.submit("slow spans");
    assert!(d.set_options(options("other", &[3.0], Timings::default())).is_empty());
    assert_eq!(d.reply(id.unwrap(), 200, START_UUID).get().url, state_url(UUID));
    // A resumed run is polled where the options of its resumption say.
    let mut d = Driver::new();
    d.set_options(options("other", &[3.0], Timings::default()));
    assert_eq!(d.resume(json!(UUID), None).get().url, format!("/v2/organizations/other/search-agent/state/{UUID}/"));
}

#[test]
fn equal_options_change_nothing() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    let (timeout, version) = (d.poller.poll_timeout(), d.poller.version());
    assert!(d.set_timings(Timings::default()).is_empty());
    assert_eq!((d.poller.poll_timeout(), d.poller.version()), (timeout, version));
    assert_eq!(d.advance(500).get().url, state_url(UUID));
}

#[test]
fn a_new_poll_interval_measures_the_wait_under_way_again() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    let answered = d.now;
    // Longer: the poll due at +500 moves to +2000 after the answer.
    d.advance(100);
    assert!(d.set_timings(Timings { poll_interval: 2_000, ..Timings::default() }).is_empty());
    assert_eq!(d.poller.poll_timeout(), Some(answered + 2_000));
    assert!(d.advance_to(answered + 1_999).is_empty());
    let poll = d.advance(1).get();
    // Shorter than the time already waited: the poll is sent at once.
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.advance(300);
    let out = d.set_timings(Timings { poll_interval: 200, ..Timings::default() });
    assert_eq!(out.get().url, state_url(UUID));
    assert!(!out.published());
    // And the next wait is the new interval.
    let answered = d.now;
    d.reply(out.get().id, 200, STATE_PROCESSING);
    assert_eq!(d.poller.poll_timeout(), Some(answered + 200));
}

#[test]
fn the_request_in_flight_keeps_its_timeout() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    let sent = d.now;
    assert_eq!(d.poller.poll_timeout(), Some(sent + 30_000));
    // Neither aborted nor timed out sooner, though the new timeout has already passed.
    d.advance(5_000);
    assert!(d.set_timings(Timings { request_timeout: 1_000, ..Timings::default() }).is_empty());
    assert_eq!(d.poller.poll_timeout(), Some(sent + 30_000));
    let next = d.keep_processing(&poll, STATE_PROCESSING);
    // The next request has the new one.
    let sent = d.now;
    assert_eq!(d.poller.poll_timeout(), Some(sent + 1_000));
    let out = d.advance(1_000);
    assert_eq!(out.aborts(), vec![next.id]);
    assert_eq!(d.last_failure(), Some(ErrorKind::RequestTimeout));
}

#[test]
fn a_new_error_interval_measures_the_backoff_under_way_again() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    d.reply(poll.id, 503, "");
    let failed = d.now;
    assert_eq!((d.phase(), d.poller.poll_timeout()), (Phase::Backoff, Some(failed + 2_500)));
    d.advance(50);
    assert!(d.set_timings(Timings { error_poll_interval: 100, ..Timings::default() }).is_empty());
    assert_eq!(d.poller.poll_timeout(), Some(failed + 100));
    let retry = d.advance(50).get();
    // A Retry-After still stretches the wait measured again.
    d.reply_full(retry.id, 429, "", Some("3"), 0);
    let failed = d.now;
    assert_eq!(d.poller.poll_timeout(), Some(failed + 3_000));
    d.set_timings(Timings { error_poll_interval: 4_000, ..Timings::default() });
    assert_eq!(d.poller.poll_timeout(), Some(failed + 4_000));
    assert_eq!(d.phase(), Phase::Backoff);
    // The error window is the new one from the next failure.
    d.set_timings(Timings { error_poll_interval: 4_000, max_error_window: 4_000, ..Timings::default() });
    let retry = d.advance(4_000).get();
    let error = d.reply(retry.id, 503, "").failure();
    assert!(error.message.contains("gave up after"), "{}", error.message);
}

#[test]
fn a_lowered_max_run_ends_the_run_at_its_next_deadline() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.advance(300);
    assert!(d.set_timings(Timings { max_run: 100, ..Timings::default() }).is_empty());
    assert_eq!(d.poller.poll_timeout(), Some(100));
    let out = d.advance(0);
    assert_eq!(out.failure().kind, ErrorKind::Timeout);
    assert_eq!(d.phase(), Phase::TimedOut);
}

#[test]
fn switching_pause_when_hidden_pauses_or_resumes_at_once() {
    let mut d = Driver::with(Timings { pause_when_hidden: false, ..Timings::default() });
    let poll = d.start("slow spans", START_UUID);
    d.hide();
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert_eq!(d.phase(), Phase::Polling);
    // On while hidden: paused at once, nothing scheduled.
    let out = d.set_timings(Timings::default());
    assert!(out.published() && out.nothing_sent());
    assert_eq!((d.phase(), d.paused_by(), d.poller.poll_timeout()), (Phase::Paused, Some(PauseReason::Hidden), None));
    // Off again: polling resumes at once.
    d.advance(10_000);
    let out = d.set_timings(Timings { pause_when_hidden: false, ..Timings::default() });
    assert!(out.published());
    let poll = out.get();
    assert_eq!(d.phase(), Phase::Polling);
    // On while a poll is in flight: it is not aborted, and the run pauses when it is answered.
    let out = d.set_timings(Timings::default());
    assert!(out.is_empty());
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert_eq!(d.phase(), Phase::Paused);
}

#[test]
fn timings_changed_while_paused_apply_once_resumed() {
    let mut d = Driver::new();
    let poll = d.start("slow spans", START_UUID);
    d.reply(poll.id, 200, STATE_PROCESSING);
    d.offline();
    assert_eq!(d.phase(), Phase::Paused);
    assert!(d.set_timings(Timings { poll_interval: 50, ..Timings::default() }).is_empty());
    assert_eq!(d.poller.poll_timeout(), None);
    let poll = d.online().get();
    d.reply(poll.id, 200, STATE_PROCESSING);
    assert_eq!(d.poller.poll_timeout(), Some(d.now + 50));
}

#[test]
fn options_after_dispose_change_nothing() {
    let mut d = Driver::new();
    d.dispose();
    assert!(d.set_options(options("other", &[3.0], Timings { poll_interval: 1, ..Timings::default() })).is_empty());
    let (id, out) = d.submit("q");
    assert!(id.is_none() && out.is_empty());
}
