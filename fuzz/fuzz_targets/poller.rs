//! The `Poller` state machine driven by any sequence of inputs, with its invariants
//! checked after every step.

#![no_main]

use arbitrary::Arbitrary;
use ask_seer_polling::core::{
    Endpoints, ErrorKind, HttpResponse, Method, Phase, Poller, Reply, RequestId, RunId, Snapshot,
    StartRequestInput, StartTemplate, Timings, TimingsInput,
};
use ask_seer_polling_fuzz::assert_url_shape;
use libfuzzer_sys::fuzz_target;
use outputs::{Action, drain};
use serde_json::{Value, json};
use std::collections::BTreeSet;

#[path = "../../tests/outputs/mod.rs"]
mod outputs;

const BASE: &str = "http://127.0.0.1:9/api/0/";
const SLUG: &str = "acme";
const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const QUERIES: [&str; 5] = ["slow spans", "errors by release", "", "   ", "p95 of \"checkout\" ✓"];
const STATUSES: [u16; 12] = [200, 201, 204, 400, 403, 404, 408, 429, 500, 502, 503, 504];
/// `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`, in ms since the epoch.
const RETRY_DATE_MS: u64 = 1_445_412_480_000;
const FIXTURES: [&str; 11] = [
    include_str!("../../tests/fixtures/start-500-retry-token.json"),
    include_str!("../../tests/fixtures/start-legacy.json"),
    include_str!("../../tests/fixtures/start-uuid-picked-up.json"),
    include_str!("../../tests/fixtures/start-uuid.json"),
    include_str!("../../tests/fixtures/state-400-invalid-run-id.json"),
    include_str!("../../tests/fixtures/state-404-not-found.json"),
    include_str!("../../tests/fixtures/state-completed.json"),
    include_str!("../../tests/fixtures/state-error.json"),
    include_str!("../../tests/fixtures/state-pending.json"),
    include_str!("../../tests/fixtures/state-processing.json"),
    include_str!("../../tests/fixtures/state-unsupported.json"),
];

#[derive(Arbitrary, Debug)]
struct Input {
    timings: TimingsPick,
    ops: Vec<Op>,
}

/// The default timings, or short ones so that budgets run out within a few steps.
#[derive(Arbitrary, Debug)]
enum TimingsPick {
    Default {
        pause_when_hidden: bool,
    },
    Short {
        poll: u16,
        error_poll: u16,
        error_window: u16,
        stale: u16,
        max_run: u16,
        request: u16,
        pause_when_hidden: bool,
    },
}

#[derive(Arbitrary, Debug)]
enum Op {
    Submit(u8),
    Resume { id: ResumeId, query: Option<u8> },
    Reply { to: To, status: Status, body: Body, retry_after: Option<RetryAfter> },
    NetworkFailure(To),
    TimedOut(To),
    Advance(u16),
    AdvanceToDeadline,
    SetVisible(bool),
    SetOnline(bool),
    /// New options: the picked timings, other projects for the next run.
    SetOptions(TimingsPick),
    Reset,
    Dispose,
}

/// The request a reply answers: the one in flight (or the last one sent when none is), or
/// any one sent before.
#[derive(Arbitrary, Debug)]
enum To {
    InFlight,
    Earlier(u8),
}

/// The id a resume names: as a caller may pass it, well formed or not.
#[derive(Arbitrary, Debug)]
enum ResumeId {
    Uuid,
    Number(f64),
    Text(String),
    Object { sentry_run_id: Option<String>, numeric_run_id: Option<i64> },
}

impl ResumeId {
    /// The id as JavaScript would pass it to `resume`.
    fn value(&self) -> Value {
        match self {
            Self::Uuid => json!(UUID),
            Self::Number(n) => json!(n),
            Self::Text(text) => json!(text),
            Self::Object { sentry_run_id, numeric_run_id } => {
                json!({"sentryRunId": sentry_run_id, "numericRunId": numeric_run_id})
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Status {
    Ok,
    Menu(u8),
    Any(u16),
}

#[derive(Arbitrary, Debug)]
enum Body {
    Fixture(u8),
    Start { sentry_run_id: Option<bool>, run_id: Option<i64> },
    Processing { updated_at: Option<u8>, step: bool, sentry_run_id: bool },
    Finished { status: FinalStatus, final_response: bool },
    NullSession,
    Raw(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum FinalStatus {
    Completed,
    Error,
    Unknown,
}

#[derive(Arbitrary, Debug)]
enum RetryAfter {
    Seconds(u16),
    /// The HTTP date, received this many seconds before it.
    Date(u16),
    Raw(String),
}

impl Status {
    fn code(&self) -> u16 {
        match *self {
            Self::Ok => 200,
            Self::Menu(i) => STATUSES[usize::from(i) % STATUSES.len()],
            Self::Any(code) => code,
        }
    }
}

impl Body {
    fn render(&self) -> String {
        match self {
            Self::Fixture(i) => FIXTURES[usize::from(*i) % FIXTURES.len()].to_owned(),
            Self::Start { sentry_run_id, run_id } => json!({
                "sentry_run_id": sentry_run_id.map(|valid| if valid { UUID } else { "../state/1" }),
                "run_id": run_id,
            })
            .to_string(),
            Self::Processing { updated_at, step, sentry_run_id } => json!({
                "sentry_run_id": sentry_run_id.then_some(UUID),
                "session": {
                    "status": "processing",
                    "updated_at": updated_at.map(|s| format!("2026-05-11T10:{:02}:{:02}Z", s / 60, s % 60)),
                    "current_step": step.then(|| json!({"key": "building_query"})),
                },
            })
            .to_string(),
            Self::Finished { status, final_response } => json!({
                "session": {
                    "status": match status {
                        FinalStatus::Completed => "completed",
                        FinalStatus::Error => "error",
                        FinalStatus::Unknown => "cancelled",
                    },
                    "final_response": final_response.then(|| json!({"query": "span.duration:>1s"})),
                },
            })
            .to_string(),
            Self::NullSession => r#"{"session": null}"#.to_owned(),
            Self::Raw(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        }
    }
}

impl RetryAfter {
    /// The header and the wall clock when the answer arrived.
    fn header(&self) -> (String, u64) {
        match self {
            Self::Seconds(s) => (s.to_string(), RETRY_DATE_MS),
            Self::Date(before) => {
                ("Wed, 21 Oct 2015 07:28:00 GMT".to_owned(), RETRY_DATE_MS - u64::from(*before) * 1000)
            }
            Self::Raw(text) => (text.clone(), RETRY_DATE_MS),
        }
    }
}

/// Feeds inputs to a poller the way the shell does and checks what comes out.
struct Driver {
    poller: Poller<str>,
    now: u64,
    sent: Vec<RequestId>,
    in_flight: Option<RequestId>,
    unsettled_starts: BTreeSet<RequestId>,
    disposed: bool,
    /// No run is under way: nothing may be sent until the next submit.
    quiet: bool,
}

impl TimingsPick {
    /// The timings picked, or `None` when `Timings::new` refuses them.
    fn timings(&self) -> Option<Timings> {
        let input = match *self {
            TimingsPick::Default { pause_when_hidden } => json!({"pauseWhenHidden": pause_when_hidden}),
            TimingsPick::Short { poll, error_poll, error_window, stale, max_run, request, pause_when_hidden } => {
                json!({
                    "pollIntervalMs": poll,
                    "errorPollIntervalMs": error_poll,
                    "maxErrorWindowMs": error_window,
                    "staleAfterMs": stale,
                    "maxRunMs": max_run,
                    "requestTimeoutMs": request,
                    "pauseWhenHidden": pause_when_hidden,
                })
            }
        };
        let input = TimingsInput::read(&input).expect("timings input");
        Timings::new(&input).ok()
    }
}

/// The endpoints and the start template, asking of the project `project`.
fn options(project: f64) -> (Endpoints, StartTemplate) {
    let endpoints = Endpoints::new(SLUG, Some(BASE)).expect("valid endpoints");
    let input = StartRequestInput { project_ids: vec![project], strategy: "Traces".into(), ..Default::default() };
    (endpoints, StartTemplate::new(input).expect("valid template"))
}

impl Driver {
    /// A driver with the picked timings, or `None` when `Timings::new` refuses them.
    fn new(timings: &TimingsPick) -> Option<Self> {
        let (endpoints, template) = options(1.0);
        Some(Self {
            poller: Poller::new(endpoints, template, timings.timings()?),
            now: 1_000,
            sent: Vec::new(),
            in_flight: None,
            unsettled_starts: BTreeSet::new(),
            disposed: false,
            quiet: true,
        })
    }

    fn target(&self, to: &To) -> Option<RequestId> {
        match *to {
            To::InFlight => self.in_flight.or_else(|| self.sent.last().copied()),
            To::Earlier(i) => (!self.sent.is_empty()).then(|| self.sent[usize::from(i) % self.sent.len()]),
        }
    }

    /// Delivers a reply; returns whether it answered the request in flight.
    fn reply(&mut self, to: &To, reply: Reply<'_, str>) -> bool {
        let Some(id) = self.target(to) else { return false };
        let current = self.in_flight == Some(id);
        if current {
            self.in_flight = None;
        }
        self.poller.handle_reply(self.now, id, reply);
        current
    }

    fn step(&mut self, op: &Op) {
        let before = self.poller.snapshot().clone();
        let version = self.poller.version();
        let was_disposed = self.disposed;
        let mut stale_reply = false;
        let mut invalid_resume = false;
        let mut set_options = false;
        match op {
            Op::Submit(i) => {
                self.quiet = false;
                self.poller.submit(self.now, QUERIES[usize::from(*i) % QUERIES.len()]);
            }
            Op::Reply { to, status, body, retry_after } => {
                let body = body.render();
                let (header, unix_now_ms) = retry_after.as_ref().map_or((None, RETRY_DATE_MS), |r| {
                    let (header, now) = r.header();
                    (Some(header), now)
                });
                let response = HttpResponse { status: status.code(), body: body.as_str() };
                let reply = Reply::Http { response, retry_after: header.as_deref(), unix_now_ms };
                stale_reply = !self.reply(to, reply);
            }
            Op::NetworkFailure(to) => stale_reply = !self.reply(to, Reply::Network("connection reset")),
            Op::TimedOut(to) => stale_reply = !self.reply(to, Reply::TimedOut),
            Op::Resume { id, query } => {
                self.quiet = false;
                let query = query.map(|i| QUERIES[usize::from(i) % QUERIES.len()]);
                let run_id = RunId::from_json(&id.value());
                invalid_resume = run_id.is_err();
                self.poller.resume(self.now, run_id, query);
            }
            Op::Advance(ms) => {
                self.now += u64::from(*ms);
                self.poller.handle_timeout(self.now);
            }
            Op::AdvanceToDeadline => {
                self.now = self.now.max(self.poller.poll_timeout().unwrap_or(self.now));
                self.poller.handle_timeout(self.now);
            }
            Op::SetVisible(visible) => self.poller.set_visible(self.now, *visible),
            Op::SetOnline(online) => self.poller.set_online(self.now, *online),
            Op::SetOptions(pick) => {
                if let Some(timings) = pick.timings() {
                    let (endpoints, template) = options(2.0);
                    self.poller.set_options(self.now, endpoints, template, timings);
                    set_options = true;
                }
            }
            Op::Reset => self.poller.reset(),
            Op::Dispose => {
                self.poller.dispose();
                self.disposed = true;
            }
        }
        let after = self.poller.snapshot().clone();
        let actions = drain(&mut self.poller);
        if was_disposed || stale_reply {
            assert!(actions.is_empty(), "{op:?} was not ignored: {actions:?}");
            assert_eq!(before, after, "{op:?} changed the snapshot");
        }
        let mut published = 0;
        for action in &actions {
            match action {
                Action::Send(request) => {
                    assert!(!self.disposed, "request sent after dispose: {request:?}");
                    assert!(!self.quiet, "request sent with no run under way: {request:?}");
                    assert_eq!(self.in_flight, None, "second request in flight: {request:?}");
                    assert_url_shape(&request.url, BASE, SLUG);
                    let start = request.method == Method::Post;
                    assert_eq!(start, request.url.ends_with("/start/"), "{request:?}");
                    assert_eq!(start, request.body.is_some(), "{request:?}");
                    if start {
                        self.unsettled_starts.insert(request.id);
                    }
                    self.in_flight = Some(request.id);
                    self.sent.push(request.id);
                }
                Action::Abort(id) => {
                    assert_eq!(self.in_flight, Some(*id), "aborted a request that is not in flight");
                    self.in_flight = None;
                }
                Action::Publish => published += 1,
                Action::Succeeded(response) => {
                    assert_eq!(after.phase, Phase::Completed);
                    let sent = after.session.as_ref().and_then(|s| s.final_response.as_ref());
                    assert_eq!(sent, Some(response));
                }
                Action::Failed(error) => {
                    assert!(after.phase.is_error(), "onError in phase {:?}", after.phase);
                    assert_eq!(after.error.as_ref(), Some(error));
                }
                Action::StartSettled(id) => {
                    assert!(self.unsettled_starts.remove(id), "start {id:?} settled twice or never started");
                }
            }
        }
        if set_options {
            // New options never start, abort or fail a run.
            let allowed = |a: &Action| match a {
                Action::Publish => true,
                Action::Send(request) => request.method == Method::Get,
                _ => false,
            };
            assert!(actions.iter().all(allowed), "{op:?} did more than poll: {actions:?}");
        }
        if invalid_resume && !self.disposed {
            assert!(!actions.iter().any(|a| matches!(a, Action::Send(_))), "a malformed resume sent: {actions:?}");
            assert_eq!(after.error.as_ref().map(|e| e.kind), Some(ErrorKind::InvalidRunId));
        }
        assert!(published <= 1, "{published} publishes in one step");
        assert_eq!(published == 1, before != after, "publish without a change or a change without publish");
        assert_eq!(self.poller.version(), version + published);
        self.check_state(&after);
    }

    fn check_state(&mut self, snapshot: &Snapshot<Value>) {
        if let Some(id) = &snapshot.run_id {
            assert_url_shape(&format!("{BASE}organizations/{SLUG}/search-agent/state/{id}/"), BASE, SLUG);
        }
        if snapshot.phase != Phase::Starting {
            assert!(self.unsettled_starts.is_empty(), "start left unsettled in {:?}", snapshot.phase);
        }
        if self.disposed || !snapshot.phase.is_active() {
            assert_eq!(self.in_flight, None, "request left in flight in {:?}", snapshot.phase);
            assert_eq!(self.poller.poll_timeout(), None, "timer left in {:?}", snapshot.phase);
        }
        self.quiet |= self.disposed || !snapshot.phase.is_active();
        assert_eq!(snapshot.paused_by.is_some(), snapshot.phase == Phase::Paused, "pausedBy in {:?}", snapshot.phase);
        if snapshot.last_failure.is_some() {
            assert!(matches!(snapshot.phase, Phase::Backoff | Phase::Paused), "lastFailure in {:?}", snapshot.phase);
        }
        if snapshot.phase == Phase::Gone {
            assert!(snapshot.error.is_none() && snapshot.run_id.is_some() && snapshot.session.is_none());
        }
        match snapshot.phase {
            Phase::Paused => assert_eq!(self.in_flight, None, "paused with a request in flight"),
            phase if phase.is_active() && !self.disposed => {
                assert!(self.poller.poll_timeout().is_some(), "{phase:?} with nothing scheduled")
            }
            _ => {}
        }
    }
}

fuzz_target!(|input: Input| {
    let Some(mut driver) = Driver::new(&input.timings) else { return };
    for op in &input.ops {
        driver.step(op);
    }
});
