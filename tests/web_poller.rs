//! `AskSeerPoller` in Chromium and in Node: a scripted `fetch` with short intervals for
//! deterministic runs, real `fetch` against the fixture server for whole runs, and the
//! visibility and offline pauses in the browser.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod support;

use ask_seer_polling::wasm::AskSeerPoller;
use js_sys::{Function, Promise};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const START_URL: &str = "/api/0/organizations/acme/search-agent/start/";
const NO_ACCESS: &str = "You do not have access to this feature.";

fn state_url(id: &str) -> String {
    format!("/api/0/organizations/acme/search-agent/state/{id}/")
}

fn idle() -> Value {
    json!({
        "phase": "idle", "runId": null, "sessionData": null, "isPending": false, "isPolling": false,
        "isError": false, "startFailed": false, "error": null, "pausedBy": null, "lastFailure": null,
        "finalResponse": null, "queries": [], "finalQuery": null, "unsupportedReason": null,
        "currentStep": null, "completedSteps": []
    })
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(fixture(name)).unwrap()
}

/// Scripted 200 answers with the fixtures `names`, in order.
fn fixtures(names: &[&str]) -> Value {
    names.iter().map(|name| ok(fixture(name))).collect()
}

/// A scripted answer with `status` and a JSON `body`.
fn answer(status: u16, body: Value) -> Value {
    json!({"status": status, "body": body.to_string(), "headers": {"Content-Type": "application/json"}})
}

/// A scripted answer of the fixture `name`, delayed by `delay_ms`.
fn slow(name: &str, delay_ms: u32) -> Value {
    let mut answer = ok(fixture(name));
    answer["delayMs"] = json!(delay_ms);
    answer
}

/// The poller's settings with short timings; `extra` overrides them.
fn settings(extra: Value) -> Value {
    let mut settings = json!({
        "projectIds": [1], "strategy": "Traces", "pollIntervalMs": 5, "errorPollIntervalMs": 10,
        "maxErrorWindowMs": 2000, "staleAfterMs": 5000, "maxRunMs": 10000, "requestTimeoutMs": 2000,
    });
    settings.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    settings
}

/// `config` with every field of `extra` set on it.
fn with(config: JsValue, extra: Value) -> JsValue {
    for (key, value) in extra.as_object().unwrap() {
        set(&config, key, &js(value.clone()));
    }
    config
}

fn urls(fetch: &Scripted) -> Vec<String> {
    fetch.calls().iter().map(|call| call["url"].as_str().unwrap().to_owned()).collect()
}

/// For each call but the first, the milliseconds between the previous answer and this call.
fn gaps(calls: &[Value]) -> Vec<f64> {
    calls.windows(2).map(|pair| pair[1]["at"].as_f64().unwrap() - pair[0]["doneAt"].as_f64().unwrap()).collect()
}

/// Waits for a `submitQuery` promise, which must resolve, with `undefined`.
async fn settled(promise: Promise) {
    let value = JsFuture::from(promise).await.unwrap_or_else(|e| panic!("submitQuery rejected: {}", error_fields(&e)));
    assert!(value.is_undefined());
}

/// A poller whose `onSuccess` and `onError` are recorded, with a listener that records the
/// snapshot it sees at every call. Disposed when dropped.
struct Subject {
    poller: Rc<AskSeerPoller>,
    on_success: Recorder,
    on_error: Recorder,
    initial: JsValue,
    seen: Rc<RefCell<Vec<JsValue>>>,
    /// When each snapshot in `seen` was notified, by `performance.now()`.
    seen_at: Rc<RefCell<Vec<f64>>>,
    _listener: Closure<dyn FnMut()>,
}

impl Subject {
    /// A poller on a page that is not hidden nor offline, whatever a failed test left behind.
    fn new(config: JsValue) -> Self {
        clear_visibility();
        clear_online();
        Self::on_page_as_is(config)
    }

    /// A poller that takes the page's visibility as it is now, override included.
    fn on_page_as_is(config: JsValue) -> Self {
        let (on_success, on_error) = (Recorder::default(), Recorder::default());
        set(&config, "onSuccess", &on_success.function());
        set(&config, "onError", &on_error.function());
        let poller = Rc::new(AskSeerPoller::new(config).map_err(|e| error_fields(&e)).unwrap());
        let seen = Rc::new(RefCell::new(Vec::new()));
        let seen_at = Rc::new(RefCell::new(Vec::new()));
        let listener = {
            let (poller, seen, seen_at) = (Rc::downgrade(&poller), seen.clone(), seen_at.clone());
            Closure::<dyn FnMut()>::new(move || {
                if let Some(poller) = poller.upgrade() {
                    seen.borrow_mut().push(poller.get_snapshot());
                    seen_at.borrow_mut().push(now());
                }
            })
        };
        poller.subscribe(listener.as_ref().unchecked_ref::<Function>().clone());
        let initial = poller.get_snapshot();
        Self { poller, on_success, on_error, initial, seen, seen_at, _listener: listener }
    }

    fn snapshot(&self) -> Value {
        json(&self.poller.get_snapshot())
    }

    /// Resumes the run `run_id` names, with the question `query`.
    fn resume(&self, run_id: Value, query: Option<&str>) {
        self.poller.resume(js(run_id), query.map(str::to_owned));
    }

    /// Submits `query` and waits for `submitQuery` to resolve.
    async fn submit(&self, query: &str) {
        settled(self.poller.submit_query(query.to_owned())).await;
    }

    /// Waits (3 s at most) until the snapshot satisfies `done`, and returns it.
    async fn until(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = js_sys::Date::now() + 3000.0;
        loop {
            let snapshot = self.snapshot();
            if done(&snapshot) {
                return snapshot;
            }
            assert!(js_sys::Date::now() < deadline, "never {what}: {snapshot}");
            sleep(2).await;
        }
    }

    async fn until_phase(&self, phase: &str) -> Value {
        self.until(phase, |s| s["phase"] == phase).await
    }

    fn notifications(&self) -> usize {
        self.seen.borrow().len()
    }

    /// The phase of the snapshot seen at each listener call.
    fn phases_seen(&self) -> Vec<String> {
        self.seen.borrow().iter().map(|s| json(s)["phase"].as_str().unwrap().to_owned()).collect()
    }

    /// Every listener call saw a new frozen snapshot that differs from the one before, and the
    /// last one seen is the current one: one call per change, none for an unchanged state.
    fn assert_notified_once_per_change(&self) {
        let seen = self.seen.borrow();
        let mut previous = (self.initial.clone(), json(&self.initial));
        for snapshot in seen.iter() {
            let value = json(snapshot);
            assert!(is_frozen(snapshot), "{value}");
            assert!(!same(snapshot, &previous.0), "notified without a new snapshot: {value}");
            assert_ne!(value, previous.1, "notified for an equal snapshot");
            previous = (snapshot.clone(), value);
        }
        assert!(same(&previous.0, &self.poller.get_snapshot()), "the last change was not notified");
    }

    /// The errors `onError` received, as `{name, kind, status, detail, message, isError}`.
    fn errors(&self) -> Vec<Value> {
        self.on_error.first_args().iter().map(error_fields).collect()
    }
}

impl Drop for Subject {
    fn drop(&mut self) {
        self.poller.dispose();
    }
}

/// A poller over a scripted `fetch` answering `answers` in order (the last repeats).
fn scripted(answers: Value, extra: Value) -> (Scripted, Subject) {
    let fetch = Scripted::new(answers);
    let subject = Subject::new(fetch.config("acme", settings(extra)));
    (fetch, subject)
}

// 1, 2, 11: a whole run.

#[wasm_bindgen_test]
async fn whole_run_by_uuid() {
    let (fetch, subject) = scripted(
        fixtures(&["start-uuid-picked-up", "state-pending", "state-processing", "state-completed"]),
        json!({}),
    );
    subject.submit("slow spans in checkout today").await;
    // The UUID is picked over the numeric id, and the first poll goes out at once.
    assert_eq!(urls(&fetch), [START_URL.to_owned(), state_url(UUID)]);
    let polling = subject.snapshot();
    assert_eq!(polling["phase"], "polling");
    assert_eq!(polling["runId"], json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}));
    assert_eq!(
        (&polling["isPending"], &polling["isPolling"], &polling["isError"]),
        (&json!(true), &json!(true), &json!(false))
    );

    let done = subject.until_phase("completed").await;
    let session = fixture_json("state-completed")["session"].clone();
    assert_eq!(done["sessionData"], session);
    let queries: Vec<&Value> = done["queries"].as_array().unwrap().iter().map(|q| &q["query"]).collect();
    let responses = session["final_response"]["responses"].as_array().unwrap();
    assert_eq!(queries, responses.iter().map(|r| &r["query"]).collect::<Vec<_>>());
    let frozen = js_sys::Reflect::get(&subject.poller.get_snapshot(), &"queries".into()).unwrap();
    assert!(
        is_frozen(&frozen)
            && same(&frozen, &js_sys::Reflect::get(&subject.poller.get_snapshot(), &"queries".into()).unwrap())
    );
    assert_eq!(done["finalResponse"], session["final_response"]);
    assert_eq!(done["finalQuery"], session["final_query"]);
    assert_eq!(done["completedSteps"], session["completed_steps"]);
    assert_eq!(done["currentStep"], json!(null));
    assert_eq!(
        (&done["isPending"], &done["isPolling"], &done["isError"]),
        (&json!(false), &json!(false), &json!(false))
    );
    assert_eq!((&done["error"], &done["startFailed"]), (&json!(null), &json!(false)));
    assert_eq!(subject.phases_seen(), ["starting", "polling", "polling", "polling", "completed"]);
    subject.assert_notified_once_per_change();
    let successes = subject.on_success.first_args();
    assert_eq!(successes.len(), 1);
    assert_eq!(json(&successes[0]), session["final_response"]);
    assert_eq!(subject.on_error.count(), 0);

    // Finished: nothing more is sent or notified.
    sleep(30).await;
    assert_eq!(fetch.calls().len(), 4);
    assert_eq!(subject.notifications(), 5);
}

#[wasm_bindgen_test]
async fn one_request_at_a_time_spaced_by_the_poll_interval() {
    let (fetch, subject) = scripted(
        json!([
            slow("start-uuid", 15),
            slow("state-pending", 15),
            slow("state-pending", 15),
            slow("state-processing", 15),
            slow("state-completed", 15)
        ]),
        json!({"pollIntervalMs": 20}),
    );
    subject.submit("q").await;
    subject.until_phase("completed").await;
    let calls = fetch.calls();
    assert_eq!(calls.len(), 5);
    assert_eq!(fetch.max_in_flight(), 1);
    let gaps = gaps(&calls);
    assert!(gaps[0] < 15.0, "the first poll waited {} ms", gaps[0]);
    for gap in &gaps[1..] {
        assert!(*gap >= 18.0, "a poll {gap} ms after the previous answer: {gaps:?}");
    }
}

#[wasm_bindgen_test]
async fn requests_carry_the_configured_headers_and_body() {
    let (fetch, subject) = scripted(
        fixtures(&["start-uuid", "state-completed"]),
        json!({
            "headers": {"Authorization": "Bearer t", "X-Test": "yes"}, "projectIds": [1, -1], "strategy": "Logs",
            "referrer": "explore", "options": {"model": "fast"}
        }),
    );
    subject.submit("slow spans").await;
    subject.until_phase("completed").await;
    let calls = fetch.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!((&calls[0]["method"], &calls[0]["credentials"]), (&json!("POST"), &json!("same-origin")));
    assert_eq!(
        calls[0]["headers"],
        json!({"Authorization": "Bearer t", "X-Test": "yes", "Content-Type": "application/json"})
    );
    let body: Value = serde_json::from_str(calls[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"natural_language_query": "slow spans", "project_ids": [1, -1], "strategy": "Logs",
               "referrer": "explore", "options": {"model": "fast"}})
    );
    assert_eq!((&calls[1]["method"], &calls[1]["credentials"]), (&json!("GET"), &json!("same-origin")));
    assert_eq!(calls[1]["headers"], json!({"Authorization": "Bearer t", "X-Test": "yes"}));
    assert_eq!(calls[1]["body"], json!(null));
}

#[wasm_bindgen_test]
async fn finished_runs_stop_without_success() {
    for (name, state, phase, is_error) in [
        ("failed on the server", ok(fixture("state-error")), "error", true),
        ("unknown status", ok(r#"{"session": {"status": "cancelled"}}"#), "completed", false),
        ("unsupported question", ok(fixture("state-unsupported")), "completed", false),
    ] {
        let (fetch, subject) = scripted(json!([ok(fixture("start-uuid")), state]), json!({}));
        subject.submit("q").await;
        let done = subject.until(name, |s| s["isPending"] == false).await;
        assert_eq!((&done["phase"], &done["isError"]), (&json!(phase), &json!(is_error)), "{name}");
        assert_eq!((&done["error"], &done["startFailed"]), (&json!(null), &json!(false)), "{name}");
        assert_eq!(done["queries"], json!([]), "{name}");
        assert_eq!((subject.on_success.count(), subject.on_error.count()), (0, 0), "{name}");
        sleep(20).await;
        assert_eq!(fetch.calls().len(), 2, "{name}");
        if name == "unsupported question" {
            assert_eq!(done["unsupportedReason"], "Comparing two releases is not supported yet.");
            assert_eq!(done["finalResponse"], fixture_json("state-unsupported")["session"]["final_response"]);
        } else {
            assert_eq!(done["finalResponse"], json!(null), "{name}");
        }
    }
}

#[wasm_bindgen_test]
async fn a_running_step_keeps_polling_whatever_the_status() {
    let (fetch, subject) = scripted(
        json!([
            ok(fixture("start-uuid")),
            ok(r#"{"session": {"status": "completed", "current_step": {"key": "building_query"}}}"#),
            ok(fixture("state-completed"))
        ]),
        json!({}),
    );
    subject.submit("q").await;
    subject.until_phase("completed").await;
    assert_eq!(fetch.calls().len(), 3);
    assert_eq!(subject.phases_seen(), ["starting", "polling", "polling", "completed"]);
    assert_eq!(subject.on_success.count(), 1);
}

// 3, 4: the start request.

#[wasm_bindgen_test]
async fn start_without_a_usable_id_fails() {
    let (fetch, subject) = scripted(
        json!([ok(r#"{"run_id": null, "sentry_run_id": "not-a-uuid"}"#), ok(fixture("state-completed"))]),
        json!({}),
    );
    subject.submit("q").await;
    let failed = subject.snapshot();
    assert_eq!(
        (&failed["phase"], &failed["isError"], &failed["startFailed"]),
        (&json!("error"), &json!(true), &json!(true))
    );
    assert_eq!((&failed["error"]["kind"], &failed["runId"]), (&json!("missing_run_id"), &json!(null)));
    let errors = subject.errors();
    assert_eq!(errors.len(), 1);
    assert_eq!((&errors[0]["name"], &errors[0]["isError"]), (&json!("AskSeerError"), &json!(true)));
    assert_eq!((&errors[0]["kind"], &errors[0]["status"]), (&json!("missing_run_id"), &json!(null)));
    sleep(20).await;
    assert_eq!(fetch.calls().len(), 1);
    assert_eq!(subject.phases_seen(), ["starting", "error"]);
}

#[wasm_bindgen_test]
async fn failed_starts_are_reported_once() {
    let html = json!({"status": 502, "body": "<html>Bad Gateway</html>", "headers": {"Content-Type": "text/html"}});
    let token_on_4xx = json!({"status": 400, "body": fixture("start-500-retry-token")});
    for (answer, kind, status, detail) in [
        (answer(403, json!({"detail": NO_ACCESS})), "http", json!(403), json!(NO_ACCESS)),
        (answer(500, json!({"detail": "Internal error"})), "http", json!(500), json!("Internal error")),
        (html, "http", json!(502), json!(null)),
        (token_on_4xx, "http", json!(400), json!("Failed to start search agent")),
        (json!({"networkError": "connection refused"}), "network", json!(null), json!(null)),
    ] {
        let (fetch, subject) = scripted(json!([answer, ok(fixture("state-completed"))]), json!({}));
        subject.submit("q").await;
        let failed = subject.snapshot();
        assert_eq!(
            (&failed["phase"], &failed["startFailed"], &failed["isError"]),
            (&json!("error"), &json!(true), &json!(true))
        );
        assert_eq!(
            (&failed["error"]["kind"], &failed["error"]["status"], &failed["error"]["detail"]),
            (&json!(kind), &status, &detail)
        );
        let errors = subject.errors();
        assert_eq!(errors.len(), 1, "{answer}");
        assert_eq!((&errors[0]["name"], &errors[0]["isError"]), (&json!("AskSeerError"), &json!(true)));
        assert_eq!((&errors[0]["kind"], &errors[0]["status"], &errors[0]["detail"]), (&json!(kind), &status, &detail));
        assert_eq!(errors[0]["message"], failed["error"]["message"]);
        if kind == "network" {
            assert!(errors[0]["message"].as_str().unwrap().contains("connection refused"), "{}", errors[0]);
        }
        sleep(20).await;
        assert_eq!(fetch.calls().len(), 1, "{answer}");
    }
}

#[wasm_bindgen_test]
async fn a_5xx_start_with_a_retry_token_polls_that_run() {
    let (fetch, subject) = scripted(
        json!([{"status": 500, "body": fixture("start-500-retry-token")}, ok(fixture("state-completed"))]),
        json!({}),
    );
    subject.submit("q").await;
    let done = subject.until_phase("completed").await;
    assert_eq!(urls(&fetch), [START_URL.to_owned(), state_url(UUID)]);
    assert_eq!((&done["startFailed"], &done["error"]), (&json!(false), &json!(null)));
    assert_eq!(done["runId"]["value"], UUID);
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
}

// 5: the numeric id gives way to the UUID.

#[wasm_bindgen_test]
async fn a_numeric_run_switches_to_the_uuid_the_state_reports() {
    let (fetch, subject) = scripted(
        fixtures(&["start-legacy", "state-pending", "state-processing", "state-pending", "state-completed"]),
        json!({}),
    );
    subject.submit("q").await;
    assert_eq!(
        subject.snapshot()["runId"],
        json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821})
    );
    let done = subject.until_phase("completed").await;
    assert_eq!(
        urls(&fetch),
        [START_URL.to_owned(), state_url("4821"), state_url("4821"), state_url(UUID), state_url(UUID)]
    );
    assert_eq!(done["runId"], json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}));
}

// 6: failing polls.

#[wasm_bindgen_test]
async fn transient_failures_back_off_and_a_success_ends_the_backoff() {
    let (fetch, subject) = scripted(
        json!([
            ok(fixture("start-uuid")),
            {"networkError": "connection reset"},
            {"status": 503, "body": ""},
            answer(429, json!({"detail": "Slow down"})),
            ok(fixture("state-processing")),
            answer(500, json!({"detail": "Internal error"})),
            {"status": 502, "body": "<html>Bad Gateway</html>", "headers": {"Content-Type": "text/html"}},
            ok(fixture("state-completed"))
        ]),
        // Two streaks of failures stay within the window only if the success between them resets it.
        json!({"errorPollIntervalMs": 25, "maxErrorWindowMs": 90}),
    );
    subject.submit("q").await;
    let backoff = subject.until_phase("backoff").await;
    assert_eq!(
        (&backoff["isPending"], &backoff["isPolling"], &backoff["isError"]),
        (&json!(true), &json!(true), &json!(false))
    );
    assert_eq!(backoff["error"], json!(null));
    subject.until_phase("completed").await;
    // Each new failure shows as the snapshot's `lastFailure`, so a backoff phase is seen once per failure.
    let phases = ["starting", "polling", "backoff", "backoff", "backoff", "polling", "backoff", "backoff", "completed"];
    assert_eq!(subject.phases_seen(), phases);
    let failures: Vec<Value> = subject.seen.borrow().iter().map(|s| json(s)["lastFailure"]["status"].clone()).collect();
    let statuses = [json!(null), json!(null), json!(null), json!(503), json!(429), json!(null), json!(500), json!(502)];
    assert_eq!(failures[..8], statuses);
    subject.assert_notified_once_per_change();
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
    let calls = fetch.calls();
    assert_eq!(calls.len(), 8);
    let gaps = gaps(&calls);
    // After each failure (calls 1, 2, 3, 5, 6) the error interval; after the success (call 4) the poll interval.
    for failed in [1, 2, 3, 5, 6] {
        assert!(gaps[failed] >= 23.0, "retried after {} ms: {gaps:?}", gaps[failed]);
    }
    assert!(gaps[4] < 23.0, "after a success, the poll interval: {gaps:?}");
}

#[wasm_bindgen_test]
async fn failing_polls_give_up_after_the_error_window() {
    for (failure, kind, status) in [
        (answer(503, json!({"detail": "Service unavailable"})), "http", json!(503)),
        (json!({"networkError": "offline"}), "network", json!(null)),
    ] {
        let (fetch, subject) = scripted(
            json!([ok(fixture("start-uuid")), failure]),
            json!({"errorPollIntervalMs": 10, "maxErrorWindowMs": 60}),
        );
        subject.submit("q").await;
        let failed = subject.until_phase("error").await;
        assert_eq!((&failed["isError"], &failed["startFailed"]), (&json!(true), &json!(false)), "{kind}");
        assert_eq!((&failed["error"]["kind"], &failed["error"]["status"]), (&json!(kind), &status));
        assert!(failed["error"]["message"].as_str().unwrap().contains("gave up"), "{failed}");
        let errors = subject.errors();
        assert_eq!(errors.len(), 1, "{kind}");
        assert_eq!(
            (&errors[0]["name"], &errors[0]["kind"], &errors[0]["status"]),
            (&json!("AskSeerError"), &json!(kind), &status)
        );
        assert_eq!(subject.phases_seen(), ["starting", "polling", "backoff", "error"]);
        let calls = fetch.calls();
        let failing_for = calls.last().unwrap()["doneAt"].as_f64().unwrap() - calls[1]["doneAt"].as_f64().unwrap();
        assert!(failing_for >= 58.0, "gave up after {failing_for} ms of failures");
        assert!(calls.len() >= 4, "{} polls", calls.len() - 1);
        sleep(30).await;
        assert_eq!(fetch.calls().len(), calls.len(), "{kind}");
    }
}

#[wasm_bindgen_test]
async fn retry_after_stretches_the_wait_after_a_429() {
    let throttled = |retry_after: Option<&str>| {
        let mut throttled = answer(429, json!({"detail": "Slow down"}));
        if let Some(seconds) = retry_after {
            throttled["headers"]["Retry-After"] = json!(seconds);
        }
        throttled
    };
    let (fetch, subject) = scripted(
        json!([
            ok(fixture("start-uuid")),
            throttled(Some("0")),
            throttled(None),
            throttled(Some("1")),
            ok(fixture("state-completed"))
        ]),
        json!({"errorPollIntervalMs": 30}),
    );
    subject.submit("q").await;
    subject.until_phase("completed").await;
    assert_eq!(subject.phases_seen(), ["starting", "polling", "backoff", "completed"]);
    let gaps = gaps(&fetch.calls());
    assert_eq!(gaps.len(), 4);
    // Retry-After 0 and none: the error interval; Retry-After 1: a second.
    for gap in &gaps[1..3] {
        assert!((28.0..500.0).contains(gap), "{gaps:?}");
    }
    assert!(gaps[3] >= 995.0, "{gaps:?}");
}

#[wasm_bindgen_test]
async fn retry_after_as_an_http_date_stretches_the_wait() {
    // An IMF-fixdate two seconds ahead: the wait is over a second, whatever the rounding.
    let at = js_sys::Date::new(&JsValue::from_f64(js_sys::Date::now() + 2000.0)).to_utc_string();
    let mut throttled = answer(503, json!({"detail": "Busy"}));
    throttled["headers"]["Retry-After"] = json!(String::from(at));
    let mut obsolete = answer(503, json!({"detail": "Busy"}));
    obsolete["headers"]["Retry-After"] = json!("Sunday, 06-Nov-94 08:49:37 GMT");
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), throttled, obsolete, ok(fixture("state-completed"))]),
        json!({"errorPollIntervalMs": 30, "maxErrorWindowMs": 5000}),
    );
    subject.submit("q").await;
    subject.until("completed", |s| s["phase"] == "completed").await;
    let gaps = gaps(&fetch.calls());
    assert!(gaps[1] >= 1000.0, "waited {} ms for a date two seconds ahead: {gaps:?}", gaps[1]);
    // An obsolete date form is not read: the error interval.
    assert!((28.0..500.0).contains(&gaps[2]), "{gaps:?}");
}

#[wasm_bindgen_test]
async fn client_errors_end_the_run_at_once() {
    for (failure, status, detail) in [
        (json!({"status": 400, "body": fixture("state-400-invalid-run-id")}), 400, json!("Invalid run_id")),
        (answer(403, json!({"detail": NO_ACCESS})), 403, json!(NO_ACCESS)),
        (json!({"status": 404, "body": fixture("state-404-not-found")}), 404, json!(null)),
    ] {
        let (fetch, subject) =
            scripted(json!([ok(fixture("start-uuid")), failure, ok(fixture("state-completed"))]), json!({}));
        subject.submit("q").await;
        let failed = subject.until_phase("error").await;
        assert_eq!(
            (&failed["error"]["kind"], &failed["error"]["status"], &failed["error"]["detail"]),
            (&json!("http"), &json!(status), &detail)
        );
        assert_eq!((&failed["isError"], &failed["startFailed"]), (&json!(true), &json!(false)));
        let errors = subject.errors();
        assert_eq!(errors.len(), 1, "{status}");
        assert_eq!((&errors[0]["name"], &errors[0]["kind"]), (&json!("AskSeerError"), &json!("http")));
        assert_eq!((&errors[0]["status"], &errors[0]["detail"]), (&json!(status), &detail));
        if status == 404 {
            let expected = format!("the server no longer knows run {UUID} (HTTP 404)");
            assert_eq!((&errors[0]["message"], &failed["error"]["message"]), (&json!(expected), &json!(expected)));
        }
        assert_eq!(subject.phases_seen(), ["starting", "polling", "error"]);
        sleep(30).await;
        assert_eq!(fetch.calls().len(), 2, "{status}");
    }
}

#[wasm_bindgen_test]
async fn a_hung_poll_is_aborted_and_counts_as_a_transient_failure() {
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), {"hang": true}, ok(fixture("state-completed"))]),
        json!({"requestTimeoutMs": 30, "errorPollIntervalMs": 10}),
    );
    subject.submit("q").await;
    let backoff = subject.until_phase("backoff").await;
    assert_eq!((&backoff["error"], &backoff["isError"]), (&json!(null), &json!(false)));
    let hung = &fetch.calls()[1];
    assert_eq!(hung["signal"]["aborted"], json!(true));
    let waited = hung["doneAt"].as_f64().unwrap() - hung["at"].as_f64().unwrap();
    assert!(waited >= 28.0, "aborted after {waited} ms");
    subject.until_phase("completed").await;
    assert_eq!(fetch.calls().len(), 3);
    assert_eq!(subject.phases_seen(), ["starting", "polling", "backoff", "completed"]);
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
}

#[wasm_bindgen_test]
async fn a_hung_start_fails_with_request_timeout() {
    let (fetch, subject) = scripted(json!([{"hang": true}]), json!({"requestTimeoutMs": 30}));
    subject.submit("q").await;
    let failed = subject.snapshot();
    assert_eq!((&failed["phase"], &failed["startFailed"]), (&json!("error"), &json!(true)));
    assert_eq!(failed["error"]["kind"], "request_timeout");
    assert_eq!(failed["error"]["message"], "start request got no answer within 30 ms");
    assert_eq!(subject.errors().iter().map(|e| e["kind"].clone()).collect::<Vec<_>>(), [json!("request_timeout")]);
    let calls = fetch.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["signal"]["aborted"], json!(true));
}

#[wasm_bindgen_test]
async fn slow_and_unreachable_are_told_apart_while_retrying() {
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), {"hang": true}, {"networkError": "Failed to fetch"}, ok(fixture("state-completed"))]),
        json!({"requestTimeoutMs": 30, "errorPollIntervalMs": 10}),
    );
    subject.submit("q").await;
    let slow = subject.until("timed out once", |s| s["lastFailure"] != json!(null)).await;
    assert_eq!((&slow["phase"], &slow["error"]), (&json!("backoff"), &json!(null)));
    assert_eq!(
        slow["lastFailure"],
        json!({"kind": "request_timeout", "message": "state request got no answer within 30 ms", "status": null, "detail": null})
    );
    let done = subject.until_phase("completed").await;
    assert_eq!(done["lastFailure"], json!(null));
    let failures: Vec<Value> = subject.seen.borrow().iter().map(|s| json(s)["lastFailure"]["kind"].clone()).collect();
    assert_eq!(failures, [json!(null), json!(null), json!("request_timeout"), json!("network"), json!(null)]);
    assert_eq!(fetch.calls().len(), 4);
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
}

// 7: runs that do not finish.

#[wasm_bindgen_test]
async fn a_run_without_progress_times_out() {
    // Without updated_at, and with the same updated_at every time.
    for state in ["state-pending", "state-processing"] {
        let (fetch, subject) =
            scripted(json!([ok(fixture("start-uuid")), ok(fixture(state))]), json!({"staleAfterMs": 40}));
        subject.submit("q").await;
        let timed_out = subject.until_phase("timed_out").await;
        assert_eq!((&timed_out["isError"], &timed_out["isPending"]), (&json!(true), &json!(false)), "{state}");
        assert_eq!(timed_out["error"]["kind"], "timeout");
        assert!(timed_out["error"]["message"].as_str().unwrap().contains("no progress"), "{timed_out}");
        let errors = subject.errors();
        assert_eq!(errors.len(), 1, "{state}");
        assert_eq!((&errors[0]["name"], &errors[0]["kind"]), (&json!("AskSeerError"), &json!("timeout")));
        let calls = fetch.calls();
        // From the first poll sent to the notification of the timeout: the poller's clock runs
        // from no earlier than the first, and the answer it times out on is handled before the second.
        let stale_for = *subject.seen_at.borrow().last().unwrap() - calls[1]["at"].as_f64().unwrap();
        assert!(stale_for >= 39.0, "timed out after {stale_for} ms");
        sleep(30).await;
        assert_eq!(fetch.calls().len(), calls.len(), "{state}");
    }
}

#[wasm_bindgen_test]
async fn a_run_that_keeps_progressing_does_not_go_stale() {
    let mut answers: Vec<Value> = (0..12)
        .map(|second| {
            ok(&json!({"session": {"status": "processing", "updated_at": format!("2026-05-11T10:00:{second:02}Z")}})
                .to_string())
        })
        .collect();
    answers.insert(0, ok(fixture("start-uuid")));
    answers.push(ok(fixture("state-completed")));
    let (fetch, subject) = scripted(json!(answers), json!({"staleAfterMs": 60, "pollIntervalMs": 10}));
    subject.submit("q").await;
    subject.until("finished", |s| s["isPending"] == false).await;
    let calls = fetch.calls();
    assert_eq!(subject.snapshot()["phase"], "completed");
    assert_eq!(calls.len(), 14);
    let lasted = calls[13]["at"].as_f64().unwrap() - calls[1]["at"].as_f64().unwrap();
    assert!(lasted > 60.0, "the run lasted only {lasted} ms");
}

#[wasm_bindgen_test]
async fn a_run_past_max_run_ms_times_out() {
    let (fetch, subject) =
        scripted(fixtures(&["start-uuid", "state-pending"]), json!({"maxRunMs": 60, "staleAfterMs": 10000}));
    let submitted = js_sys::Date::now();
    subject.submit("q").await;
    let timed_out = subject.until_phase("timed_out").await;
    assert!(js_sys::Date::now() - submitted >= 58.0);
    assert_eq!(timed_out["error"]["kind"], "timeout");
    assert!(timed_out["error"]["message"].as_str().unwrap().contains("did not finish within 60 ms"), "{timed_out}");
    assert_eq!(subject.errors().len(), 1);
    let sent = fetch.calls().len();
    sleep(30).await;
    assert_eq!(fetch.calls().len(), sent);
}

// 8: submitting.

#[wasm_bindgen_test]
async fn the_query_under_way_is_not_asked_again() {
    let (fetch, subject) = scripted(
        fixtures(&["start-uuid", "state-pending", "state-completed", "start-uuid", "state-completed"]),
        json!({"pollIntervalMs": 10}),
    );
    subject.submit("q").await;
    let notified = subject.notifications();
    subject.submit("q").await;
    assert_eq!(fetch.calls().len(), 2);
    assert_eq!(subject.notifications(), notified);
    subject.until_phase("completed").await;
    // The same query after the run ended is a new run.
    subject.submit("q").await;
    subject.until("completed again", |s| s["phase"] == "completed" && subject.on_success.count() == 2).await;
    let methods: Vec<Value> = fetch.calls().iter().map(|call| call["method"].clone()).collect();
    assert_eq!(methods, ["POST", "GET", "GET", "POST", "GET"]);
}

#[wasm_bindgen_test]
async fn a_new_query_replaces_the_run_under_way() {
    let mut late = slow("state-completed", 60);
    late["ignoreAbort"] = json!(true);
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), late, ok(fixture("start-legacy")), ok(fixture("state-pending"))]),
        json!({"pollIntervalMs": 10}),
    );
    subject.submit("first").await;
    assert_eq!(fetch.calls().len(), 2);
    let second = subject.poller.submit_query("second".to_owned());
    let calls = fetch.calls();
    assert_eq!(calls[1]["signal"]["aborted"], json!(true));
    assert_eq!(calls[2]["method"], "POST");
    assert!(calls[2]["body"].as_str().unwrap().contains(r#""natural_language_query":"second""#));
    let starting = subject.snapshot();
    assert_eq!(
        (&starting["phase"], &starting["runId"], &starting["sessionData"]),
        (&json!("starting"), &json!(null), &json!(null))
    );
    settled(second).await;
    // The first run's poll still answers, late: it changes nothing.
    sleep(100).await;
    assert!(fetch.calls()[1]["doneAt"].is_number(), "the late answer never came");
    let now = subject.snapshot();
    assert_eq!((&now["phase"], &now["runId"]["value"]), (&json!("polling"), &json!("4821")));
    assert_eq!((&now["sessionData"]["status"], &now["finalResponse"]), (&json!("processing"), &json!(null)));
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (0, 0));
    assert!(urls(&fetch)[3..].iter().all(|url| *url == state_url("4821")), "{:?}", urls(&fetch));
    subject.assert_notified_once_per_change();
}

#[wasm_bindgen_test]
async fn replacing_a_pending_start_settles_its_promise() {
    let (fetch, subject) =
        scripted(json!([{"hang": true}, ok(fixture("start-uuid")), ok(fixture("state-completed"))]), json!({}));
    let first = subject.poller.submit_query("first".to_owned());
    assert_eq!(subject.snapshot()["phase"], "starting");
    let second = subject.poller.submit_query("second".to_owned());
    settled(first).await;
    assert_eq!(fetch.calls()[0]["signal"]["aborted"], json!(true));
    settled(second).await;
    subject.until_phase("completed").await;
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
}

#[wasm_bindgen_test]
async fn a_new_query_clears_the_failed_start() {
    let (_fetch, subject) = scripted(
        json!([answer(403, json!({"detail": NO_ACCESS})), ok(fixture("start-uuid")), ok(fixture("state-completed"))]),
        json!({}),
    );
    subject.submit("first").await;
    assert_eq!(subject.snapshot()["startFailed"], true);
    let second = subject.poller.submit_query("second".to_owned());
    let starting = subject.snapshot();
    assert_eq!((&starting["phase"], &starting["startFailed"]), (&json!("starting"), &json!(false)));
    assert_eq!((&starting["error"], &starting["isError"]), (&json!(null), &json!(false)));
    settled(second).await;
    let done = subject.until_phase("completed").await;
    assert_eq!((&done["startFailed"], &done["error"]), (&json!(false), &json!(null)));
    assert_eq!(subject.errors().len(), 1);
}

// 9: reset and dispose.

#[wasm_bindgen_test]
async fn reset_aborts_cancels_and_returns_to_idle() {
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), {"hang": true}, ok(fixture("start-uuid")), {"status": 503, "body": ""}]),
        json!({"errorPollIntervalMs": 30}),
    );
    subject.submit("q").await;
    subject.poller.reset();
    assert_eq!(subject.snapshot(), idle());
    assert_eq!(fetch.calls()[1]["signal"]["aborted"], json!(true));
    let notified = subject.notifications();
    subject.poller.reset();
    assert_eq!(subject.notifications(), notified, "a reset of an idle poller changed nothing");

    // The same query again is a new run; a reset during its backoff cancels the retry.
    subject.submit("q").await;
    subject.until_phase("backoff").await;
    subject.poller.reset();
    assert_eq!(subject.snapshot(), idle());
    sleep(80).await;
    assert_eq!(fetch.calls().len(), 4);
    assert_eq!(subject.phases_seen(), ["starting", "polling", "idle", "starting", "polling", "backoff", "idle"]);
    subject.assert_notified_once_per_change();
    assert_eq!(subject.on_error.count(), 0);
}

#[wasm_bindgen_test]
async fn nothing_happens_after_dispose() {
    let mut late = slow("state-completed", 30);
    late["ignoreAbort"] = json!(true);
    let (fetch, subject) = scripted(json!([ok(fixture("start-uuid")), late]), json!({}));
    subject.submit("q").await;
    let before = subject.poller.get_snapshot();
    let notified = subject.notifications();
    subject.poller.dispose();
    assert_eq!(fetch.calls()[1]["signal"]["aborted"], json!(true));
    let later = Recorder::default();
    subject.poller.subscribe(later.function());
    settled(subject.poller.submit_query("another".to_owned())).await;
    sleep(60).await;
    assert!(fetch.calls()[1]["doneAt"].is_number(), "the late answer never came");
    assert_eq!(fetch.calls().len(), 2);
    assert!(same(&subject.poller.get_snapshot(), &before));
    subject.poller.reset();
    assert!(same(&subject.poller.get_snapshot(), &before), "reset after dispose changed the snapshot");
    assert_eq!(fetch.calls().len(), 2);
    assert_eq!((subject.notifications(), later.count()), (notified, 0));
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (0, 0));
}

// 10: the visibility pause.

/// Whether the suite runs in a browser page; fails when it was built for a browser but runs elsewhere.
fn in_browser() -> bool {
    assert_eq!(has_window(), expects_browser(), "WASM_BINDGEN_USE_BROWSER at build time says where the suite runs");
    assert_eq!(has_document(), has_window());
    has_window()
}

/// Polling goes on; with `hide`, while the page reads as hidden.
async fn keeps_polling(extra: Value, hide: bool) {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), extra);
    let _hidden = hide.then(Visibility::hide);
    subject.submit("q").await;
    sleep(60).await;
    assert!(fetch.calls().len() >= 6, "{} requests", fetch.calls().len());
    assert_eq!(subject.snapshot()["phase"], "polling");
    assert!(!subject.phases_seen().contains(&"paused".to_owned()));
}

#[wasm_bindgen_test]
async fn a_hidden_page_pauses_polling() {
    if !in_browser() {
        // No page to hide in Node: `pauseWhenHidden` changes nothing.
        return keeps_polling(json!({}), false).await;
    }
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let hidden = Visibility::hide();
    let paused = subject.until_phase("paused").await;
    assert_eq!(
        (&paused["isPending"], &paused["isPolling"], &paused["isError"]),
        (&json!(true), &json!(true), &json!(false))
    );
    let sent = fetch.calls().len();
    sleep(80).await;
    assert_eq!(fetch.calls().len(), sent, "polled while hidden");
    assert_eq!(subject.snapshot()["phase"], "paused");
    hidden.show();
    assert_eq!(fetch.calls().len(), sent + 1, "no poll at once when shown");
    assert_eq!(subject.snapshot()["phase"], "polling");
    drop(hidden);
    subject.until("polling again", |_| fetch.calls().len() >= sent + 3).await;
    subject.assert_notified_once_per_change();

    // A poller made while the page is hidden starts its run but polls only when shown.
    let hidden = Visibility::hide();
    let fetch = Scripted::new(fixtures(&["start-uuid", "state-pending"]));
    let subject = Subject::on_page_as_is(fetch.config("acme", settings(json!({"pollIntervalMs": 10}))));
    subject.submit("q").await;
    assert_eq!(subject.snapshot()["phase"], "paused");
    sleep(40).await;
    assert_eq!(fetch.calls().len(), 1);
    hidden.show();
    assert_eq!(urls(&fetch), [START_URL.to_owned(), state_url(UUID)]);
}

#[wasm_bindgen_test]
async fn without_pause_when_hidden_polling_goes_on() {
    keeps_polling(json!({"pauseWhenHidden": false}), in_browser()).await;
}

// 12: the offline pause.

#[wasm_bindgen_test]
async fn an_offline_browser_pauses_polling() {
    if !in_browser() {
        // No online events in Node: nothing pauses, and the snapshot never says offline.
        keeps_polling(json!({}), false).await;
        return;
    }
    let (fetch, subject) =
        scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10, "pauseWhenHidden": false}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let offline = Offline::start();
    let paused = subject.until_phase("paused").await;
    assert_eq!((&paused["pausedBy"], &paused["isPending"]), (&json!("offline"), &json!(true)));
    let sent = fetch.calls().len();
    sleep(80).await;
    assert_eq!(fetch.calls().len(), sent, "polled while offline");
    offline.end();
    assert_eq!(fetch.calls().len(), sent + 1, "no poll at once when back online");
    assert_eq!(
        (subject.snapshot()["phase"].clone(), subject.snapshot()["pausedBy"].clone()),
        (json!("polling"), json!(null))
    );
    drop(offline);
    subject.until("polling again", |_| fetch.calls().len() >= sent + 3).await;
    assert_eq!(fetch.max_in_flight(), 1);
    subject.assert_notified_once_per_change();
}

#[wasm_bindgen_test]
async fn offline_longer_than_the_error_window_keeps_the_run() {
    if !in_browser() {
        // No online events in Node: nothing pauses.
        return keeps_polling(json!({}), false).await;
    }
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), {"status": 503, "body": "", "delayMs": 30}, ok(fixture("state-completed"))]),
        json!({"maxErrorWindowMs": 30, "errorPollIntervalMs": 10}),
    );
    subject.submit("q").await;
    let offline = Offline::start();
    // The poll in flight fails as the network goes away; the run pauses instead of giving up.
    let paused = subject.until_phase("paused").await;
    assert_eq!((&paused["pausedBy"], &paused["lastFailure"]["status"]), (&json!("offline"), &json!(503)));
    sleep(120).await;
    assert_eq!((fetch.calls().len(), subject.snapshot()["phase"].clone()), (2, json!("paused")));
    offline.end();
    subject.until_phase("completed").await;
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0));
    assert_eq!(fetch.calls().iter().filter(|c| c["method"] == "POST").count(), 1);
}

#[wasm_bindgen_test]
async fn a_poller_made_offline_resumes_paused() {
    if !in_browser() {
        // No online events in Node: nothing pauses.
        return keeps_polling(json!({}), false).await;
    }
    clear_online();
    let offline = Offline::start();
    let fetch = Scripted::new(fixtures(&["state-completed"]));
    let subject = Subject::on_page_as_is(fetch.config("acme", settings(json!({}))));
    subject.resume(json!(UUID), None);
    let paused = subject.snapshot();
    assert_eq!(
        (&paused["phase"], &paused["pausedBy"], &paused["runId"]["value"]),
        (&json!("paused"), &json!("offline"), &json!(UUID))
    );
    assert!(fetch.calls().is_empty());
    offline.end();
    assert_eq!(urls(&fetch), [state_url(UUID)]);
    subject.until_phase("completed").await;
}

// 13: resume.

#[wasm_bindgen_test]
async fn resume_polls_a_run_without_starting_it() {
    let numeric = json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821});
    for (id, url) in [
        (json!(UUID), UUID),
        (json!(UUID.to_uppercase()), UUID),
        (json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}), UUID),
        (json!(4821), "4821"),
        (json!("4821"), "4821"),
        (numeric, "4821"),
    ] {
        let (fetch, subject) = scripted(fixtures(&["state-processing", "state-completed"]), json!({}));
        subject.resume(id.clone(), Some("slow spans"));
        let polling = subject.snapshot();
        assert_eq!((&polling["phase"], &polling["isPending"]), (&json!("polling"), &json!(true)), "{id}");
        assert_eq!(polling["runId"]["value"], url, "{id}");
        assert_eq!(urls(&fetch), [state_url(url)], "{id}");
        let done = subject.until_phase("completed").await;
        // The numeric id gives way to the UUID the state body carries.
        assert_eq!(done["runId"]["value"], UUID);
        assert!(fetch.calls().iter().all(|c| c["method"] == "GET"), "{id}");
        assert_eq!((subject.on_success.count(), subject.on_error.count()), (1, 0), "{id}");
        // The question given to resume: submitting it again starts nothing while it runs.
        assert_eq!(subject.phases_seen(), ["polling", "polling", "completed"], "{id}");
    }
}

#[wasm_bindgen_test]
async fn resume_with_a_malformed_id_fails_without_throwing() {
    let values = [
        js(json!("../x")),
        js(json!("")),
        js(json!(0)),
        js(json!(1.5)),
        js(json!(null)),
        js(json!({})),
        JsValue::UNDEFINED,
        JsValue::from_f64(f64::NAN),
        JsValue::from_f64(f64::INFINITY),
        Function::new_no_args("return 1").into(),
    ];
    for value in values {
        let (fetch, subject) = scripted(fixtures(&["state-completed"]), json!({}));
        subject.poller.resume(value.clone(), None);
        let failed = subject.snapshot();
        assert_eq!(
            (&failed["phase"], &failed["error"]["kind"]),
            (&json!("error"), &json!("invalid_run_id")),
            "{value:?}"
        );
        assert_eq!((&failed["startFailed"], &failed["runId"]), (&json!(false), &json!(null)));
        let errors = subject.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!((&errors[0]["name"], &errors[0]["kind"]), (&json!("AskSeerError"), &json!("invalid_run_id")));
        sleep(10).await;
        assert!(fetch.calls().is_empty(), "{value:?}");
    }
}

#[wasm_bindgen_test]
async fn resume_supersedes_the_run_under_way_and_ignores_the_same_one() {
    let mut late = slow("state-completed", 40);
    late["ignoreAbort"] = json!(true);
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-legacy")), late, ok(fixture("state-pending"))]),
        json!({"pollIntervalMs": 10}),
    );
    subject.submit("q").await;
    assert_eq!(urls(&fetch).len(), 2);
    subject.resume(json!(UUID), None);
    assert_eq!(fetch.calls()[1]["signal"]["aborted"], json!(true));
    assert_eq!(urls(&fetch)[2], state_url(UUID));
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    sleep(60).await;
    // The late answer of the dropped run changed nothing.
    assert_eq!(subject.snapshot()["phase"], "polling");
    let sent = fetch.calls().len();
    subject.resume(json!(UUID), None);
    subject.resume(json!({"sentryRunId": UUID}), None);
    assert_eq!(fetch.calls().len(), sent, "the run under way was resumed again");
    // A new question without a question given to resume starts a run.
    settled(subject.poller.submit_query("slow spans".to_owned())).await;
    assert_eq!(fetch.calls().iter().filter(|c| c["method"] == "POST").count(), 2);
}

#[wasm_bindgen_test]
async fn the_question_given_to_resume_is_not_asked_again() {
    let (fetch, subject) = scripted(fixtures(&["state-pending"]), json!({}));
    subject.resume(json!(UUID), Some("slow spans"));
    settled(subject.poller.submit_query("slow spans".to_owned())).await;
    sleep(20).await;
    assert!(fetch.calls().iter().all(|c| c["method"] == "GET"));
    assert_eq!(subject.snapshot()["runId"]["value"], UUID);
}

#[wasm_bindgen_test]
async fn a_resumed_run_the_server_forgot_is_gone() {
    let org = "notfound_resume_gone";
    let subject = Subject::new(with(server_config(org), settings(json!({}))));
    subject.resume(json!(UUID), Some("q"));
    let gone = subject.until_phase("gone").await;
    assert_eq!(
        (&gone["isPending"], &gone["isError"], &gone["error"], &gone["runId"]["value"]),
        (&json!(false), &json!(false), &json!(null), &json!(UUID))
    );
    assert_eq!((subject.on_success.count(), subject.on_error.count()), (0, 0));
    let log = server_log(org).await;
    assert_eq!(log.iter().map(|r| r["path"].clone()).collect::<Vec<_>>(), [agent_path(org, &format!("state/{UUID}"))]);
}

// 11: listeners and snapshots.

#[wasm_bindgen_test]
async fn equal_polls_change_nothing() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let snapshot = subject.poller.get_snapshot();
    let (notified, sent) = (subject.notifications(), fetch.calls().len());
    sleep(60).await;
    assert!(fetch.calls().len() >= sent + 5, "{} polls", fetch.calls().len() - sent);
    assert_eq!(subject.notifications(), notified);
    assert!(same(&subject.poller.get_snapshot(), &snapshot));
    subject.assert_notified_once_per_change();
}

#[wasm_bindgen_test]
async fn snapshots_are_frozen_and_stable() {
    let (_fetch, subject) = scripted(fixtures(&["start-uuid", "state-processing"]), json!({}));
    let first = subject.poller.get_snapshot();
    assert!(same(&first, &subject.poller.get_snapshot()));
    assert!(is_frozen(&first));
    assert_eq!(json(&first), idle());
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let snapshot = subject.poller.get_snapshot();
    assert!(same(&snapshot, &subject.poller.get_snapshot()));
    // Equal queries stay the same array across snapshots.
    let queries = |s: &JsValue| js_sys::Reflect::get(s, &"queries".into()).unwrap();
    assert!(!same(&first, &snapshot) && same(&queries(&first), &queries(&snapshot)));
    for key in ["runId", "sessionData", "completedSteps", "currentStep", "queries"] {
        let part = js_sys::Reflect::get(&snapshot, &key.into()).unwrap();
        assert!(part.is_object() && is_frozen(&part), "{key}");
    }
    assert!(is_frozen(&snapshot));
}

#[wasm_bindgen_test]
async fn unsubscribed_listeners_are_not_called() {
    let (_fetch, subject) = scripted(
        fixtures(&["start-uuid", "state-pending", "state-processing", "state-completed"]),
        json!({"pollIntervalMs": 10}),
    );
    let (kept, dropped) = (Recorder::default(), Recorder::default());
    subject.poller.subscribe(kept.function());
    let unsubscribe = subject.poller.subscribe(dropped.function());
    subject.submit("q").await;
    let before = dropped.count();
    assert!(before >= 2);
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    subject.until_phase("completed").await;
    assert_eq!(dropped.count(), before);
    assert_eq!(kept.count(), subject.notifications());
    assert!(kept.count() > before);
}

#[wasm_bindgen_test]
async fn a_throwing_listener_does_not_break_the_poller() {
    let uncaught = Uncaught::capture();
    let (_fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending", "state-completed"]), json!({}));
    let (thrower, after) = (Recorder::throwing("listener failed"), Recorder::default());
    subject.poller.subscribe(thrower.function());
    subject.poller.subscribe(after.function());
    subject.submit("q").await;
    subject.until_phase("completed").await;
    assert_eq!(subject.phases_seen(), ["starting", "polling", "polling", "completed"]);
    assert_eq!((thrower.count(), after.count()), (4, 4));
    assert_eq!(subject.on_success.count(), 1);
    sleep(10).await;
    assert_eq!(uncaught.messages(), ["listener failed"; 4]);
}

// The constructor.

#[wasm_bindgen_test]
fn invalid_configs_throw() {
    let fetch = Scripted::new(fixtures(&["start-uuid"]));
    let good = settings(json!({}));
    let bad = |extra: Value| fetch.config("acme", settings(extra));
    assert!(AskSeerPoller::new(fetch.config("acme", good.clone())).is_ok());
    let configs = [
        fetch.config("a/b", good.clone()),
        fetch.config("", good),
        bad(json!({"projectIds": [1.5]})),
        bad(json!({"projectIds": ["1"]})),
        bad(json!({"pollIntervalMs": -1})),
        with(bad(json!({})), json!({"strategy": null})),
        set(&bad(json!({})), "pollIntervalMs", &JsValue::from_f64(f64::NAN)),
        set(&bad(json!({})), "maxRunMs", &JsValue::from_f64(f64::INFINITY)),
        bad(json!({"onSuccess": "not a function"})),
        bad(json!({"onError": 3})),
        bad(json!({"headers": {"Bad Name": "x"}})),
        set(&bad(json!({})), "fetch", &JsValue::from_str("not a function")),
        JsValue::UNDEFINED,
    ];
    for (n, config) in configs.into_iter().enumerate() {
        let error = error_fields(&AskSeerPoller::new(config).err().unwrap_or_else(|| panic!("config {n} was taken")));
        assert_eq!(
            (&error["name"], &error["kind"], &error["isError"]),
            (&json!("AskSeerError"), &json!("invalid_config"), &json!(true)),
            "{n}"
        );
    }
    assert!(fetch.calls().is_empty());
}

// 12: real `fetch` against the fixture server.

/// Asks `query` of the fixture server as `org` with the global `fetch`, waits for the run to
/// complete, and returns the poller, the last snapshot and the requests the server received.
async fn server_run(org: &str, query: &str) -> (Subject, Value, Vec<Value>) {
    let subject = Subject::new(with(server_config(org), settings(json!({}))));
    subject.submit(query).await;
    let done = subject.until_phase("completed").await;
    let log = server_log(org).await;
    (subject, done, log)
}

fn agent_path(org: &str, endpoint: &str) -> Value {
    json!(format!("/api/0/organizations/{org}/search-agent/{endpoint}/"))
}

#[wasm_bindgen_test]
async fn whole_run_against_the_fixture_server() {
    let org = "default_poller_run";
    let (subject, done, log) = server_run(org, "slow spans in checkout today").await;
    let session = fixture_json("state-completed")["session"].clone();
    assert_eq!(done["finalResponse"], session["final_response"]);
    assert_eq!(subject.phases_seen(), ["starting", "polling", "polling", "polling", "completed"]);
    assert_eq!(subject.on_success.count(), 1);
    let requests: Vec<(Value, Value)> = log.iter().map(|r| (r["method"].clone(), r["path"].clone())).collect();
    let state = agent_path(org, &format!("state/{UUID}"));
    let expected = [
        (json!("POST"), agent_path(org, "start")),
        (json!("GET"), state.clone()),
        (json!("GET"), state.clone()),
        (json!("GET"), state),
    ];
    assert_eq!(requests, expected);
    assert_eq!(log[0]["headers"]["content-type"], "application/json");
    let body: Value = serde_json::from_str(log[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["natural_language_query"], "slow spans in checkout today");
    assert!(log.iter().all(|r| r["headers"]["x-test"] == "yes"));
}

#[wasm_bindgen_test]
async fn resumed_run_against_the_fixture_server() {
    let org = "default_poller_resume";
    let subject = Subject::new(with(server_config(org), settings(json!({}))));
    subject.resume(json!(UUID), Some("q"));
    subject.until_phase("completed").await;
    assert_eq!(subject.on_success.count(), 1);
    let log = server_log(org).await;
    assert!(log.iter().all(|r| r["method"] == "GET"), "{log:?}");
    assert_eq!(log.len(), 3);
}

#[wasm_bindgen_test]
async fn numeric_run_against_the_fixture_server() {
    let org = "legacy_poller_run";
    let (_subject, done, log) = server_run(org, "q").await;
    assert_eq!(done["runId"]["value"], UUID);
    let paths: Vec<Value> = log.iter().map(|r| r["path"].clone()).collect();
    let state = |id: &str| agent_path(org, &format!("state/{id}"));
    assert_eq!(paths, [agent_path(org, "start"), state("4821"), state("4821"), state(UUID)]);
}

// The boundary: answers are read where they lie, unchanged parts keep their identity.

/// A processing body at `updated_at` whose agent has done `done` and is running `current`.
fn progress(updated_at: &str, done: &[&str], current: &str) -> Value {
    let steps: Vec<Value> = done.iter().map(|key| json!({"key": key})).collect();
    let session = json!({"status": "processing", "updated_at": updated_at, "completed_steps": steps,
                         "current_step": {"key": current}});
    ok(&json!({ "session": session }).to_string())
}

#[wasm_bindgen_test]
async fn unchanged_parts_keep_their_identity() {
    let (_fetch, subject) = scripted(
        json!([
            ok(fixture("start-uuid")),
            progress("t1", &["get_field_values"], "execute_query"),
            progress("t2", &["get_field_values"], "execute_query"),
            progress("t3", &["get_field_values", "execute_query"], "finalize_queries"),
            ok(fixture("state-completed")),
        ]),
        json!({}),
    );
    subject.submit("q").await;
    subject.until_phase("completed").await;
    let seen = subject.seen.borrow().clone();
    let part = |s: &JsValue, key: &str| field(s, key);
    let at = |updated_at: &str| {
        let updated =
            |s: &JsValue| Some(part(s, "sessionData")).filter(JsValue::is_object).map(|d| field(&d, "updated_at"));
        seen.iter().find(|s| updated(s).is_some_and(|at| at == updated_at)).cloned().unwrap()
    };
    let (t1, t2, t3, done) = (at("t1"), at("t2"), at("t3"), seen.last().cloned().unwrap());
    // t1 -> t2: only `updated_at` changed.
    assert!(!same(&part(&t1, "sessionData"), &part(&t2, "sessionData")), "the session is the new object");
    for key in ["completedSteps", "currentStep", "runId", "queries"] {
        assert!(same(&part(&t1, key), &part(&t2, key)), "{key} kept");
    }
    // The session's own steps are the snapshot's: one object, not two copies.
    assert!(same(&field(&part(&t2, "sessionData"), "completed_steps"), &part(&t2, "completedSteps")));
    assert!(same(&field(&part(&t2, "sessionData"), "current_step"), &part(&t2, "currentStep")));
    // t2 -> t3: a step was added; the step already done is the same object.
    let (steps2, steps3) = (part(&t2, "completedSteps"), part(&t3, "completedSteps"));
    assert!(!same(&steps2, &steps3), "a changed list is a new array");
    assert!(same(&js_sys::Array::from(&steps2).get(0), &js_sys::Array::from(&steps3).get(0)));
    assert!(!same(&part(&t2, "currentStep"), &part(&t3, "currentStep")));
    assert!(same(&part(&t2, "runId"), &part(&t3, "runId")));
    // Completed: the final response is the object the answer was parsed into, frozen.
    let final_response = part(&done, "finalResponse");
    assert!(is_frozen(&final_response));
    assert!(same(&final_response, &subject.on_success.first_args()[0]));
    subject.assert_notified_once_per_change();
}

#[wasm_bindgen_test]
async fn proto_and_constructor_keys_in_answers_stay_data() {
    let body = json!({"session": {"status": "completed", "final_response": {
        "responses": [{"query": "q", "__proto__": {"polluted": "yes"}}],
        "__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}
    }}});
    let (_fetch, subject) = scripted(json!([ok(fixture("start-uuid")), ok(&body.to_string())]), json!({}));
    subject.submit("q").await;
    subject.until_phase("completed").await;
    let snapshot = subject.poller.get_snapshot();
    let response = field(&snapshot, "finalResponse");
    assert!(has_own(&response, "__proto__") && has_own(&response, "constructor"));
    assert!(is_plain_object(&response) && field(&response, "polluted").is_undefined());
    let first = js_sys::Array::from(&field(&response, "responses")).get(0);
    assert!(has_own(&first, "__proto__") && field(&first, "polluted").is_undefined());
    assert_eq!(json(&field(&snapshot, "queries"))[0]["query"], json!("q"));
    assert!(field(&js_sys::Object::new().into(), "polluted").is_undefined(), "Object.prototype untouched");
}

#[wasm_bindgen_test]
async fn options_numbers_are_sent_as_json_stringify_writes_them() {
    let options =
        support::parse_text(r#"{"tiny": 1e-30, "least": 5e-324, "most": 1.7976931348623157e308, "n": [-0.5]}"#);
    set(&options, "third", &JsValue::from_f64(1.0 / 3.0));
    let fetch = Scripted::new(fixtures(&["start-uuid", "state-completed"]));
    let config = fetch.config("acme", settings(json!({})));
    set(&config, "options", &options);
    let subject = Subject::new(config);
    subject.submit("q").await;
    subject.until_phase("completed").await;
    let body = fetch.calls()[0]["body"].as_str().unwrap().to_owned();
    let expected = format!(r#","options":{}}}"#, json_text(&options));
    assert!(body.ends_with(&expected), "{body}");
    assert!(body.contains(r#""tiny":1e-30,"least":5e-324,"most":1.7976931348623157e+308"#), "{body}");
    assert!(body.contains(r#""third":0.3333333333333333"#), "{body}");
}

#[wasm_bindgen_test]
async fn a_body_nested_20000_levels_deep_completes_the_run() {
    let deep = format!(
        r#"{{"session": {{"status": "completed", "final_response": {{"query": "q", "x": {}1{}}}}}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let (_fetch, subject) = scripted(json!([ok(fixture("start-uuid")), ok(&deep)]), json!({}));
    subject.submit("q").await;
    // Waited for without `JSON.stringify`, which such a body overflows.
    let deadline = js_sys::Date::now() + 3000.0;
    while field(&subject.poller.get_snapshot(), "phase") != "completed" {
        assert!(js_sys::Date::now() < deadline, "never completed");
        sleep(2).await;
    }
    let snapshot = subject.poller.get_snapshot();
    assert_eq!(json(&field(&snapshot, "queries"))[0]["query"], json!("q"));
    let mut level = field(&field(&snapshot, "finalResponse"), "x");
    let mut depth = 0;
    while js_sys::Array::is_array(&level) {
        assert!(is_frozen(&level), "level {depth}");
        level = js_sys::Array::from(&level).get(0);
        depth += 1;
    }
    assert_eq!(depth, 20_000);
    assert_eq!(subject.on_success.count(), 1);
}

// 14: setOptions.

#[wasm_bindgen(inline_js = r#"
export function countListeners(targets) {
  const counts = { attached: 0 };
  const restore = [];
  for (const target of targets) {
    const { addEventListener: add, removeEventListener: remove } = target;
    target.addEventListener = function (...args) { counts.attached += 1; return add.apply(this, args); };
    target.removeEventListener = function (...args) { counts.attached -= 1; return remove.apply(this, args); };
    restore.push(() => { delete target.addEventListener; delete target.removeEventListener; });
  }
  return { counts, stop: () => restore.forEach((f) => f()) };
}
export function withGetter(key, value, call) {
  return Object.defineProperty({}, key, { enumerable: true, get() { call(); return value; } });
}
export function pageTargets() {
  return typeof document === "undefined" ? [] : [document, globalThis];
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = countListeners)]
    fn count_listeners(targets: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = pageTargets)]
    fn page_targets() -> JsValue;
    /// An object whose enumerable `key` is a getter that calls `call`, then gives `value`.
    #[wasm_bindgen(js_name = withGetter)]
    fn with_getter(key: &str, value: &JsValue, call: &JsValue) -> JsValue;
}

/// Counts the page's event listeners attached from now on, less those removed, until dropped.
struct ListenerCount(JsValue);

impl ListenerCount {
    fn start() -> Self {
        Self(count_listeners(page_targets()))
    }

    fn attached(&self) -> i64 {
        json(&self.0)["counts"]["attached"].as_i64().unwrap()
    }
}

impl Drop for ListenerCount {
    fn drop(&mut self) {
        let stop: Function = js_sys::Reflect::get(&self.0, &"stop".into()).unwrap().into();
        stop.call0(&JsValue::UNDEFINED).unwrap();
    }
}

impl Subject {
    fn set_options(&self, options: Value) -> Result<(), Value> {
        self.poller.set_options(js(options)).map(drop).map_err(|e| error_fields(&e))
    }
}

#[wasm_bindgen_test]
async fn a_rotated_header_is_on_the_next_poll_of_the_run_under_way() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    subject.set_options(json!({"headers": {"Authorization": "Bearer 2"}})).unwrap();
    let rotated = fetch.calls().len();
    subject.until("polled twice more", |_| fetch.calls().len() >= rotated + 2).await;
    let calls = fetch.calls();
    // The request in flight when the token rotated may carry the old one; every later one has the new.
    for call in &calls[rotated..] {
        assert_eq!(call["headers"], json!({"Authorization": "Bearer 2"}), "{call}");
        assert_eq!(call["url"], json!(state_url(UUID)));
    }
    assert!(calls[..rotated].iter().all(|call| call["headers"]["X-Test"] == "yes"));
    assert_eq!(calls.iter().filter(|call| call["method"] == "POST").count(), 1);
    assert!(calls.iter().all(|call| !call["signal"]["aborted"].as_bool().unwrap()), "a request was aborted");
    assert_eq!(subject.snapshot()["phase"], "polling");
}

#[wasm_bindgen_test]
async fn a_new_fetch_and_poll_interval_apply_to_the_run_under_way() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let other = Scripted::new(fixtures(&["state-pending"]));
    let options = set(&js(json!({"pollIntervalMs": 40})), "fetch", &other.fetch());
    subject.poller.set_options(options).unwrap();
    subject.until("polled by the new fetch", |_| other.calls().len() >= 3).await;
    assert!(gaps(&other.calls()).iter().all(|&gap| gap >= 35.0), "{:?}", gaps(&other.calls()));
    assert_eq!(urls(&other), vec![state_url(UUID); other.calls().len()]);
    assert_eq!(fetch.calls().iter().filter(|call| call["method"] == "POST").count(), 1);
}

#[wasm_bindgen_test]
async fn what_defines_a_run_applies_to_the_next_one() {
    let (fetch, subject) = scripted(
        json!([ok(fixture("start-uuid")), ok(fixture("state-pending")), ok(fixture("start-uuid"))]),
        json!({}),
    );
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    subject.set_options(json!({"orgSlug": "other", "projectIds": [7], "referrer": "settings"})).unwrap();
    sleep(30).await;
    assert!(urls(&fetch)[1..].iter().all(|url| *url == state_url(UUID)), "{:?}", urls(&fetch));
    subject.submit("errors").await;
    let start = fetch.calls().into_iter().filter(|call| call["method"] == "POST").nth(1).unwrap();
    assert_eq!(start["url"], "/api/0/organizations/other/search-agent/start/");
    let body: Value = serde_json::from_str(start["body"].as_str().unwrap()).unwrap();
    assert_eq!((&body["project_ids"], &body["referrer"]), (&json!([7]), &json!("settings")));
}

#[wasm_bindgen_test]
async fn refused_options_throw_naming_the_field_and_change_nothing() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({}));
    for (bad, field) in [
        (json!({"pollIntervalMs": 1000, "headers": {"Bad Name": "x"}}), "header name"),
        (json!({"headers": {"A": "1"}, "orgSlug": "a/b"}), "orgSlug"),
        (json!({"pollIntervalMs": 1000, "projectIds": [1.5]}), "projectIds"),
        (json!({"headers": {"A": "1"}, "requestTimeoutMs": 0}), "requestTimeoutMs"),
        (json!({"pauseWhenHidden": "no"}), "pauseWhenHidden"),
        (json!({"onError": 3}), "onError"),
    ] {
        let error = subject.set_options(bad.clone()).unwrap_err();
        assert_eq!(error["kind"], "invalid_config", "{bad}");
        assert!(error["message"].as_str().unwrap().contains(field), "{bad}: {error}");
    }
    subject.submit("q").await;
    // Polled every 5 ms, not every second.
    subject.until("polled three times", |_| fetch.calls().len() >= 4).await;
    let calls = fetch.calls();
    assert!(calls.iter().all(|call| call["headers"]["X-Test"] == "yes" && call["headers"]["A"].is_null()), "{calls:?}");
    assert_eq!(calls[0]["url"], START_URL);
    // Once disposed, options are ignored.
    subject.poller.dispose();
    assert!(subject.set_options(json!({"orgSlug": "a/b"})).is_ok());
}

#[wasm_bindgen_test]
async fn equal_options_are_taken_as_unchanged() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({}));
    subject.submit("q").await;
    let before = subject.poller.get_snapshot();
    // The same values in new objects: nothing changes, and a header changed in place is seen.
    let headers = js(json!({"X-Test": "yes"}));
    let options = set(&js(json!({"projectIds": [1], "strategy": "Traces"})), "headers", &headers);
    subject.poller.set_options(options.clone()).unwrap();
    assert!(same(&before, &subject.poller.get_snapshot()));
    set(&headers, "X-Test", &"changed".into());
    subject.poller.set_options(options).unwrap();
    let changed = fetch.calls().len();
    subject.until("polled again", |_| fetch.calls().len() >= changed + 2).await;
    assert_eq!(fetch.calls()[changed]["headers"]["X-Test"], "changed");
}

/// A getter of the options `setOptions` reads may call back into the poller: nothing traps,
/// both calls take effect, the outer one last.
#[wasm_bindgen_test]
async fn options_read_by_set_options_may_call_back_into_the_poller() {
    let (fetch, subject) = scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10}));
    subject.submit("q").await;
    subject.until("polled", |s| s["sessionData"] != json!(null)).await;
    let weak = Rc::downgrade(&subject.poller);
    let inner = Closure::<dyn FnMut()>::new(move || {
        let poller = weak.upgrade().unwrap();
        poller.set_options(js(json!({"headers": {"Authorization": "Bearer inner"}}))).unwrap();
        poller.get_snapshot();
    });
    let options = with_getter("headers", &js(json!({"Authorization": "Bearer outer"})), inner.as_ref());
    subject.poller.set_options(options).unwrap();
    let changed = fetch.calls().len();
    subject.until("polled twice more", |_| fetch.calls().len() >= changed + 2).await;
    assert_eq!(fetch.calls().last().unwrap()["headers"], json!({"Authorization": "Bearer outer"}));
    assert_eq!(subject.snapshot()["phase"], "polling");
}

#[wasm_bindgen_test]
async fn switching_pause_when_hidden_pauses_at_once() {
    if !in_browser() {
        return;
    }
    let (fetch, subject) =
        scripted(fixtures(&["start-uuid", "state-pending"]), json!({"pollIntervalMs": 10, "pauseWhenHidden": false}));
    let hidden = Visibility::hide();
    subject.submit("q").await;
    subject.until("polled while hidden", |_| fetch.calls().len() >= 3).await;
    subject.set_options(json!({"pauseWhenHidden": true})).unwrap();
    let paused = subject.until_phase("paused").await;
    assert_eq!(paused["pausedBy"], "hidden");
    subject.set_options(json!({"pauseWhenHidden": false})).unwrap();
    assert_ne!(subject.snapshot()["phase"], "paused");
    drop(hidden);
}

/// A poller freed without `dispose()` aborts its request, and an answer that comes anyway, after
/// the poller is gone, finds nobody: nothing is sent, called or thrown.
#[wasm_bindgen_test]
async fn a_freed_poller_aborts_its_request_and_its_late_answer_goes_nowhere() {
    let uncaught = Uncaught::capture();
    let mut start = slow("start-uuid", 30);
    start["ignoreAbort"] = json!(true);
    let fetch = Scripted::new(json!([start, ok(fixture("state-pending"))]));
    let (on_success, on_error) = (Recorder::default(), Recorder::default());
    let config = fetch.config("acme", settings(json!({})));
    set(&config, "onSuccess", &on_success.function());
    set(&config, "onError", &on_error.function());
    let poller = AskSeerPoller::new(config).unwrap();
    let _ = poller.submit_query("q".into());
    drop(poller);
    assert_eq!(fetch.calls()[0]["signal"], json!({"aborted": true}));
    sleep(80).await;
    assert_eq!(fetch.calls().len(), 1, "a request after the poller was freed");
    assert_eq!((on_success.count(), on_error.count()), (0, 0));
    assert_eq!(uncaught.messages(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn page_listeners_are_attached_only_while_something_needs_them() {
    let count = ListenerCount::start();
    let fetch = Scripted::new(fixtures(&["start-uuid", "state-pending"]));
    // Made and dropped without a subscriber: nothing attached, nothing sent.
    drop(AskSeerPoller::new(fetch.config("acme", settings(json!({})))).unwrap());
    let poller = AskSeerPoller::new(fetch.config("acme", settings(json!({})))).unwrap();
    assert_eq!(count.attached(), 0);
    let listener = Function::new_no_args("");
    let unsubscribe = poller.subscribe(listener.clone());
    // In a page: `visibilitychange`, `online` and `offline`; in Node, nothing to listen to.
    let per_poller = if in_browser() { 3 } else { 0 };
    assert_eq!(count.attached(), per_poller);
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    assert_eq!(count.attached(), 0);
    assert!(fetch.calls().is_empty());
    // A run attaches them until it ends, with or without a listener.
    settled(poller.submit_query("q".into())).await;
    assert_eq!(count.attached(), per_poller);
    poller.reset();
    assert_eq!(count.attached(), 0);
    poller.subscribe(listener.clone());
    poller.dispose();
    assert_eq!(count.attached(), 0);
    poller.subscribe(listener);
    assert_eq!(count.attached(), 0);
    let sent = fetch.calls().len();
    sleep(20).await;
    assert_eq!(fetch.calls().len(), sent, "a request after dispose");
}
