//! Seeded simulation of the `Poller` against a random server and a random user.
//!
//! Each seed draws timings, a server personality (latencies, network failures, 5xx, 429 with
//! `Retry-After`, hung requests, late replies to aborted requests, status-only sessions,
//! `updated_at` that moves, sticks or is missing, stuck runs, missing ids, retry tokens,
//! legacy numeric ids, a `sentry_run_id` showing up in state bodies) and a user (submits of
//! the same or another query, blank ones, resumes of known, unknown, malformed and current run
//! ids, reset, dispose, hide and show, offline and online). Virtual time runs
//! from event to event; after every step a model of the spec checks the poller's actions,
//! snapshot and next deadline.
//!
//! `cargo test --release --test simulation` runs 10,000 seeds (`SIM_RUNS`, from `SIM_BASE`),
//! stopping early only past a 20 s wall-clock budget. A failing seed prints itself; replay it
//! with a trace of every step: `SIM_SEED=123 cargo test --release --test simulation -- --nocapture`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use ask_seer_polling::core::retry_after_ms;
use ask_seer_polling::core::{
    Endpoints, ErrorKind, HttpResponse, Method, Millis, PauseReason, Phase, Poller, Reply, RequestId, RunId, Snapshot,
    StartRequestInput, StartTemplate, Timings,
};
use fastrand::Rng;
use outputs::{Action, drain};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::{Duration, Instant, UNIX_EPOCH};
use uuid::Uuid;

mod outputs;

const DEFAULT_RUNS: u64 = 10_000;
const BUDGET: Duration = Duration::from_secs(20);
/// Spec bound on a run's life: maxRunMs + requestTimeoutMs + this, paused time excluded.
const SLACK_MS: Millis = 1_000;
const MAX_STEPS: u64 = 200_000;
/// The wall clock at virtual time 0, for HTTP-date `Retry-After` headers.
const UNIX_BASE_MS: u64 = 1_700_000_000_000;
const START_URL: &str = "/api/0/organizations/acme/search-agent/start/";
const STATE_PREFIX: &str = "/api/0/organizations/acme/search-agent/state/";
const QUERIES: [&str; 8] = [
    "slow spans in checkout",
    "errors by release",
    "p95 of /api/orders",
    "slow spans in checkout",
    "errors by release",
    "p95 of /api/orders",
    "db spans over 1s",
    "  ",
];

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(value.trim().parse().unwrap_or_else(|_| panic!("{name} must be a number, got {value:?}")))
}

fn panic_message(cause: &(dyn std::any::Any + Send)) -> String {
    cause
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| cause.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(no message)".to_owned())
}

#[test]
fn seeded_simulation() {
    if let Some(seed) = env_u64("SIM_SEED") {
        let stats = Sim::new(seed, true).run();
        println!("seed {seed} passed: {stats:?}");
        return;
    }
    let runs = env_u64("SIM_RUNS").unwrap_or(DEFAULT_RUNS);
    let base = env_u64("SIM_BASE").unwrap_or(0);
    let clock = Instant::now();
    let mut total = Stats::default();
    let mut ran = 0;
    for seed in base..base + runs {
        if clock.elapsed() > BUDGET {
            break;
        }
        match catch_unwind(AssertUnwindSafe(|| Sim::new(seed, false).run())) {
            Ok(stats) => total.add(&stats),
            Err(cause) => {
                let message = panic_message(&*cause);
                eprintln!(
                    "simulation seed {seed} failed: {message}\nreplay it with: SIM_SEED={seed} cargo test --release --test simulation -- --nocapture"
                );
                resume_unwind(cause);
            }
        }
        ran += 1;
    }
    println!(
        "simulation: {ran} of {runs} seeded runs (seeds {base}..{}) in {:.1} s{}",
        base + ran,
        clock.elapsed().as_secs_f64(),
        if ran < runs { ", stopped by the wall-clock budget" } else { "" }
    );
    println!("{total:#?}");
    // The simulation must keep reaching every corner it is meant to, or it proves little.
    if ran >= 2_000 {
        for (name, count) in total.coverage() {
            assert!(count > 0, "no simulated run reached {name}: {total:#?}");
        }
    }
}

/// What the seeds reached, to check that the simulation covers what it claims.
#[derive(Debug, Default)]
struct Stats {
    steps: u64,
    runs: u64,
    completed_with_response: u64,
    completed_without_response: u64,
    server_error_status: u64,
    start_failed: u64,
    missing_run_id: u64,
    poll_http_errors: u64,
    gave_up: u64,
    timed_out_stale: u64,
    timed_out_max_run: u64,
    request_timeouts: u64,
    retry_token_runs: u64,
    uuid_upgrades: u64,
    retry_after_waits: u64,
    late_replies_ignored: u64,
    pauses: u64,
    resubmits_ignored: u64,
    runs_dropped: u64,
    disposed: u64,
    blank_queries: u64,
    resumes: u64,
    resumes_ignored: u64,
    malformed_resumes: u64,
    gone: u64,
    server_forgot: u64,
    offline_pauses: u64,
}

impl Stats {
    fn add(&mut self, o: &Stats) {
        for ((_, a), (_, b)) in self.fields_mut().into_iter().zip(o.fields()) {
            *a += b;
        }
    }

    fn fields(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("steps", self.steps),
            ("runs", self.runs),
            ("completed_with_response", self.completed_with_response),
            ("completed_without_response", self.completed_without_response),
            ("server_error_status", self.server_error_status),
            ("start_failed", self.start_failed),
            ("missing_run_id", self.missing_run_id),
            ("poll_http_errors", self.poll_http_errors),
            ("gave_up", self.gave_up),
            ("timed_out_stale", self.timed_out_stale),
            ("timed_out_max_run", self.timed_out_max_run),
            ("request_timeouts", self.request_timeouts),
            ("retry_token_runs", self.retry_token_runs),
            ("uuid_upgrades", self.uuid_upgrades),
            ("retry_after_waits", self.retry_after_waits),
            ("late_replies_ignored", self.late_replies_ignored),
            ("pauses", self.pauses),
            ("resubmits_ignored", self.resubmits_ignored),
            ("runs_dropped", self.runs_dropped),
            ("disposed", self.disposed),
            ("blank_queries", self.blank_queries),
            ("resumes", self.resumes),
            ("resumes_ignored", self.resumes_ignored),
            ("malformed_resumes", self.malformed_resumes),
            ("gone", self.gone),
            ("server_forgot", self.server_forgot),
            ("offline_pauses", self.offline_pauses),
        ]
    }

    fn fields_mut(&mut self) -> Vec<(&'static str, &mut u64)> {
        vec![
            ("steps", &mut self.steps),
            ("runs", &mut self.runs),
            ("completed_with_response", &mut self.completed_with_response),
            ("completed_without_response", &mut self.completed_without_response),
            ("server_error_status", &mut self.server_error_status),
            ("start_failed", &mut self.start_failed),
            ("missing_run_id", &mut self.missing_run_id),
            ("poll_http_errors", &mut self.poll_http_errors),
            ("gave_up", &mut self.gave_up),
            ("timed_out_stale", &mut self.timed_out_stale),
            ("timed_out_max_run", &mut self.timed_out_max_run),
            ("request_timeouts", &mut self.request_timeouts),
            ("retry_token_runs", &mut self.retry_token_runs),
            ("uuid_upgrades", &mut self.uuid_upgrades),
            ("retry_after_waits", &mut self.retry_after_waits),
            ("late_replies_ignored", &mut self.late_replies_ignored),
            ("pauses", &mut self.pauses),
            ("resubmits_ignored", &mut self.resubmits_ignored),
            ("runs_dropped", &mut self.runs_dropped),
            ("disposed", &mut self.disposed),
            ("blank_queries", &mut self.blank_queries),
            ("resumes", &mut self.resumes),
            ("resumes_ignored", &mut self.resumes_ignored),
            ("malformed_resumes", &mut self.malformed_resumes),
            ("gone", &mut self.gone),
            ("server_forgot", &mut self.server_forgot),
            ("offline_pauses", &mut self.offline_pauses),
        ]
    }

    fn coverage(&self) -> Vec<(&'static str, u64)> {
        self.fields()
    }
}

// ---------------------------------------------------------------------------------------
// The server.

/// How the run's session ends on the server.
#[derive(Clone, Copy, Debug)]
enum Ending {
    Completed,
    Unsupported,
    StatusError,
    UnknownStatus,
    NullSession,
    NotFound,
    BadRequest,
    Forbidden,
}

#[derive(Clone, Copy, Debug)]
enum UpdatedAt {
    /// A new value at every step.
    Moving,
    /// The same value throughout.
    Sticky,
    /// No `updated_at` at all.
    Missing,
    /// A new value every `tick` ms of server time.
    Ticking(Millis),
}

#[derive(Debug)]
struct ServerRun {
    created: Millis,
    numeric: u64,
    uuid: Option<Uuid>,
    /// State bodies carry the UUID at the top level from this age on.
    uuid_in_state_after: Option<Millis>,
    pickup: Millis,
    step_len: Millis,
    updated_at: UpdatedAt,
    /// `status: "completed"` while a step still runs (must keep polling).
    completed_while_stepping: bool,
    /// `None`: stuck, never ends.
    end: Option<(Millis, Ending)>,
}

/// What the reply must do to the poller, as the model sees it.
#[derive(Clone, Debug)]
enum Expect {
    /// The id polled, and every id of the run the start answer named.
    StartOk(String, Vec<String>),
    StartFail(ErrorKind, Option<u16>),
    Processing {
        updated_at: Option<String>,
        uuid: Option<String>,
    },
    Finished {
        status: &'static str,
        final_response: Option<Map<String, Value>>,
    },
    Fatal(ErrorKind, Option<u16>),
    Transient(ErrorKind, Option<u16>),
}

#[derive(Clone, Debug)]
enum OwnedReply {
    Http { status: u16, body: String, retry_after: Option<String> },
    Network,
}

#[derive(Debug)]
struct Pending {
    at: Millis,
    id: RequestId,
    reply: OwnedReply,
    expect: Expect,
    /// Sent back only after the request timeout: the poller must have aborted it by then.
    hung: bool,
}

struct Server {
    runs: Vec<ServerRun>,
    by_id: HashMap<String, usize>,
    next_numeric: u64,
    latency_max: Millis,
    p_hang: f64,
    p_fail: f64,
    outage: Option<(Millis, Millis)>,
    p_start_fail: f64,
    p_bad_uuid_in_state: f64,
    p_drop_late: f64,
    /// Ids a user resumed that name no run the server handed out: answered with 404.
    unknown: HashSet<String>,
}

fn uuid_text(rng: &mut Rng, uuid: Uuid) -> String {
    // The server may spell it in any form the uuid crate reads; the poller normalises it.
    match rng.u8(..10) {
        0 => uuid.simple().to_string().to_uppercase(),
        1 => uuid.braced().to_string(),
        2 => uuid.urn().to_string(),
        _ => uuid.hyphenated().to_string(),
    }
}

impl Server {
    fn new(rng: &mut Rng, max_run: Millis) -> Self {
        let outage = (rng.u8(..4) == 0).then(|| {
            let from = rng.u64(0..=max_run.max(1));
            (from, from + rng.u64(0..=max_run.max(1)))
        });
        Self {
            runs: Vec::new(),
            by_id: HashMap::new(),
            next_numeric: 4_000 + rng.u64(..1_000),
            latency_max: *pick(rng, &[1, 20, 300, 3_000]),
            p_hang: *pick(rng, &[0.0, 0.0, 0.02, 0.2]),
            p_fail: *pick(rng, &[0.0, 0.02, 0.2, 0.6, 1.0]),
            outage,
            p_start_fail: *pick(rng, &[0.0, 0.0, 0.1, 0.4, 1.0]),
            p_bad_uuid_in_state: *pick(rng, &[0.0, 0.1]),
            p_drop_late: *pick(rng, &[0.0, 0.5, 1.0]),
            unknown: HashSet::new(),
        }
    }

    fn create_run(&mut self, rng: &mut Rng, now: Millis, with_uuid: bool) -> usize {
        let uuid = (with_uuid || rng.bool()).then(|| Uuid::from_u128(rng.u128(..)));
        let end = (rng.u8(..5) != 0).then(|| {
            let ending = *pick(
                rng,
                &[
                    Ending::Completed,
                    Ending::Completed,
                    Ending::Completed,
                    Ending::Unsupported,
                    Ending::StatusError,
                    Ending::UnknownStatus,
                    Ending::NullSession,
                    Ending::NotFound,
                    Ending::BadRequest,
                    Ending::Forbidden,
                ],
            );
            (rng.u64(0..=12_000), ending)
        });
        self.next_numeric += 1;
        let tick = rng.u64(1..=20_000);
        let run = ServerRun {
            created: now,
            numeric: self.next_numeric,
            uuid,
            uuid_in_state_after: (rng.bool()).then(|| rng.u64(0..=5_000)),
            pickup: if rng.bool() { 0 } else { rng.u64(0..=4_000) },
            step_len: rng.u64(1..=6_000),
            updated_at: *pick(
                rng,
                &[UpdatedAt::Moving, UpdatedAt::Sticky, UpdatedAt::Missing, UpdatedAt::Ticking(tick)],
            ),
            completed_while_stepping: rng.u8(..8) == 0,
            end,
        };
        let index = self.runs.len();
        self.by_id.insert(self.next_numeric.to_string(), index);
        if let Some(uuid) = uuid {
            self.by_id.insert(uuid.hyphenated().to_string(), index);
        }
        self.runs.push(run);
        index
    }

    fn failing(&self, rng: &mut Rng, now: Millis) -> bool {
        self.outage.is_some_and(|(from, to)| (from..to).contains(&now)) || rng.f64() < self.p_fail
    }

    fn latency(&self, rng: &mut Rng, request_timeout: Millis) -> (Millis, bool) {
        if rng.f64() < self.p_hang {
            (request_timeout + 1 + rng.u64(0..=2 * request_timeout), true)
        } else {
            (rng.u64(1..=self.latency_max), false)
        }
    }

    /// The answer to a start request sent at `now`.
    fn start(&mut self, rng: &mut Rng, now: Millis) -> (OwnedReply, Expect, Option<usize>) {
        let http = |status: u16, body: String| OwnedReply::Http { status, body, retry_after: None };
        if rng.f64() >= self.p_start_fail {
            let index = self.create_run(rng, now, false);
            let numeric = self.runs[index].numeric;
            let uuid = self.runs[index].uuid;
            let (body, id, known) = match (uuid, rng.u8(..3)) {
                (Some(uuid), 0) => {
                    (json!({"run_id": null, "sentry_run_id": uuid_text(rng, uuid)}), uuid.to_string(), vec![])
                }
                (Some(uuid), 1) => (
                    json!({"run_id": numeric, "sentry_run_id": uuid_text(rng, uuid)}),
                    uuid.to_string(),
                    vec![numeric.to_string()],
                ),
                // Legacy: the numeric id only (a malformed UUID falls back to it too).
                (_, n) => {
                    let body = if n == 0 {
                        json!({"run_id": numeric, "sentry_run_id": "not-a-uuid"})
                    } else {
                        json!({"run_id": numeric})
                    };
                    (body, numeric.to_string(), vec![])
                }
            };
            let known = [vec![id.clone()], known].concat();
            return (http(200, body.to_string()), Expect::StartOk(id, known), Some(index));
        }
        match rng.u8(..9) {
            0 => (OwnedReply::Network, Expect::StartFail(ErrorKind::Network, None), None),
            1 => (
                http(500, r#"{"detail": "Failed to start search agent"}"#.into()),
                Expect::StartFail(ErrorKind::Http, Some(500)),
                None,
            ),
            2 | 3 => {
                // The server created the run before failing: the retry token names it.
                let index = self.create_run(rng, now, true);
                let uuid = self.runs[index].uuid.unwrap();
                let status = *pick(rng, &[500, 502, 503]);
                let body = json!({"detail": "Failed to start search agent", "retry_token": uuid_text(rng, uuid)});
                let id = uuid.to_string();
                (http(status, body.to_string()), Expect::StartOk(id.clone(), vec![id]), Some(index))
            }
            4 => (http(502, r#"{"retry_token": "../x"}"#.into()), Expect::StartFail(ErrorKind::Http, Some(502)), None),
            5 => {
                let status = *pick(rng, &[400, 403, 429]);
                let body = json!({"detail": "no", "retry_token": Uuid::from_u128(rng.u128(..)).to_string()});
                (http(status, body.to_string()), Expect::StartFail(ErrorKind::Http, Some(status)), None)
            }
            6 => (http(200, "<html>login</html>".into()), Expect::StartFail(ErrorKind::Decode, None), None),
            _ => {
                let index = self.create_run(rng, now, false);
                let body = *pick(
                    rng,
                    &[r#"{"run_id": null}"#, r#"{"run_id": 0, "sentry_run_id": "../x"}"#, "{}", r#"{"run_id": "12"}"#],
                );
                (http(200, body.into()), Expect::StartFail(ErrorKind::MissingRunId, None), Some(index))
            }
        }
    }

    /// The answer to a state request for `url` sent at `now`.
    fn state(&mut self, rng: &mut Rng, now: Millis, url: &str) -> (OwnedReply, Expect) {
        let id = url.strip_prefix(STATE_PREFIX).and_then(|rest| rest.strip_suffix('/'));
        let index = id.and_then(|id| self.by_id.get(id)).copied();
        if self.failing(rng, now) {
            return self.transient(rng, now);
        }
        let Some(index) = index else {
            assert!(id.is_some_and(|id| self.unknown.contains(id)), "polled {url}, which names no run");
            let reply = OwnedReply::Http { status: 404, body: r#"{"session": null}"#.into(), retry_after: None };
            return (reply, Expect::Fatal(ErrorKind::Http, Some(404)));
        };
        let run = &self.runs[index];
        let age = now - run.created;
        let http = |status: u16, body: String| OwnedReply::Http { status, body, retry_after: None };
        let mut top = Map::new();
        let mut upgrade = None;
        if let (Some(uuid), Some(after)) = (run.uuid, run.uuid_in_state_after) {
            if age >= after {
                top.insert("sentry_run_id".into(), json!(uuid_text(rng, uuid)));
                upgrade = Some(uuid.to_string());
            }
        }
        if upgrade.is_none() && rng.f64() < self.p_bad_uuid_in_state {
            top.insert("sentry_run_id".into(), json!(*pick(rng, &["", "not-a-uuid", "12"])));
        }
        let mut body = |session: Value| {
            top.insert("session".into(), session);
            Value::Object(top.clone()).to_string()
        };
        if let Some((_, ending)) = run.end.filter(|(at, _)| age >= run.pickup + at) {
            let finished = |status: &'static str, final_response: Option<Map<String, Value>>| Expect::Finished {
                status,
                final_response,
            };
            return match ending {
                Ending::Completed => {
                    let response = json!({"query": format!("span.duration:>{age}ms"), "statsPeriod": "24h", "groupBys": ["transaction"]});
                    let session = json!({
                        "status": "completed", "current_step": null, "updated_at": "done",
                        "completed_steps": [{"key": "understanding_query"}, {"key": "building_query"}],
                        "final_query": response["query"], "final_response": response,
                    });
                    (http(200, body(session)), finished("completed", response.as_object().cloned()))
                }
                Ending::Unsupported => {
                    let session =
                        json!({"status": "completed", "final_response": null, "unsupported_reason": "not yet"});
                    (http(200, body(session)), finished("completed", None))
                }
                Ending::StatusError => (http(200, body(json!({"status": "error"}))), finished("error", None)),
                Ending::UnknownStatus => (http(200, body(json!({"status": "cancelled"}))), finished("cancelled", None)),
                Ending::NullSession => (http(200, body(Value::Null)), Expect::Fatal(ErrorKind::Decode, None)),
                Ending::NotFound => {
                    (http(404, r#"{"session": null}"#.into()), Expect::Fatal(ErrorKind::Http, Some(404)))
                }
                Ending::BadRequest => {
                    (http(400, r#"{"detail": "Invalid run_id"}"#.into()), Expect::Fatal(ErrorKind::Http, Some(400)))
                }
                Ending::Forbidden => {
                    (http(403, r#"{"detail": "no access"}"#.into()), Expect::Fatal(ErrorKind::Http, Some(403)))
                }
            };
        }
        if age < run.pickup {
            // Before the agent picks the run up: the status alone.
            let reply = http(200, body(json!({"status": "processing"})));
            return (reply, Expect::Processing { updated_at: None, uuid: upgrade });
        }
        let step = (age - run.pickup) / run.step_len;
        let updated_at = match run.updated_at {
            UpdatedAt::Moving => Some(format!("2026-05-11T10:00:{step:02}Z")),
            UpdatedAt::Sticky => Some("2026-05-11T10:00:00Z".to_owned()),
            UpdatedAt::Missing => None,
            UpdatedAt::Ticking(tick) => Some(format!("tick-{}", age / tick)),
        };
        let status = if run.completed_while_stepping { "completed" } else { "processing" };
        let completed: Vec<Value> = (0..step.min(4)).map(|k| json!({"key": format!("step_{k}")})).collect();
        let mut session = json!({
            "status": status, "current_step": {"key": format!("step_{step}")}, "completed_steps": completed,
            "run_id": 1, "org_slug": "acme",
        });
        if let Some(at) = &updated_at {
            session["updated_at"] = json!(at);
        }
        (http(200, body(session)), Expect::Processing { updated_at, uuid: upgrade })
    }

    fn transient(&self, rng: &mut Rng, now: Millis) -> (OwnedReply, Expect) {
        let http = |status: u16, body: &str, retry_after: Option<String>| OwnedReply::Http {
            status,
            body: body.into(),
            retry_after,
        };
        match rng.u8(..7) {
            0 => (OwnedReply::Network, Expect::Transient(ErrorKind::Network, None)),
            1 | 2 => {
                let status = *pick(rng, &[500, 502, 503, 504]);
                let body = *pick(rng, &["<html>bad gateway</html>", r#"{"detail": "oops"}"#, ""]);
                let retry_after = (rng.u8(..4) == 0).then(|| rng.u64(0..=20).to_string());
                (http(status, body, retry_after), Expect::Transient(ErrorKind::Http, Some(status)))
            }
            3 | 4 => {
                let retry_after = match rng.u8(..4) {
                    0 => None,
                    1 => {
                        let at = UNIX_EPOCH + Duration::from_millis(UNIX_BASE_MS + now + rng.u64(0..=30_000));
                        Some(httpdate::fmt_http_date(at))
                    }
                    _ => Some(rng.u64(0..=30).to_string()),
                };
                (http(429, r#"{"detail": "slow down"}"#, retry_after), Expect::Transient(ErrorKind::Http, Some(429)))
            }
            5 => (http(408, "", None), Expect::Transient(ErrorKind::Http, Some(408))),
            _ => {
                let body = *pick(rng, &["<html>proxy</html>", "[]", "", r#"{"session": {"status": 5}}"#]);
                (http(200, body, None), Expect::Transient(ErrorKind::Decode, None))
            }
        }
    }
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

// ---------------------------------------------------------------------------------------
// The user.

#[derive(Clone, Debug)]
enum User {
    Submit(String),
    Resume(ResumeOf, Option<String>),
    Reset,
    Dispose,
    Hide,
    Show,
    Offline,
    Online,
}

/// Which id a user resumes.
#[derive(Clone, Copy, Debug)]
enum ResumeOf {
    /// One of the runs the server handed out, by a random one of its ids.
    Known,
    /// The run under way (or, without one, a known run).
    Current,
    /// A UUID the server never handed out.
    Unknown,
    /// Not a run id at all.
    Malformed,
}

fn user_script(rng: &mut Rng, max_run: Millis) -> Vec<(Millis, User)> {
    let gap_max = *pick(rng, &[0, 100, 2_000, max_run / 2 + 1, 2 * max_run + 1]);
    let count = rng.usize(1..=12);
    let mut t = 0;
    let mut last_query = QUERIES[0].to_owned();
    let mut script = Vec::with_capacity(count + 1);
    for i in 0..count {
        let action = if i == 0 && rng.u8(..10) != 0 {
            User::Submit(last_query.clone())
        } else {
            match rng.u8(..100) {
                0..22 => User::Submit(last_query.clone()),
                22..42 => {
                    last_query = (*pick(rng, &QUERIES)).to_owned();
                    User::Submit(last_query.clone())
                }
                42..48 => User::Reset,
                48..50 => User::Dispose,
                50..63 => User::Hide,
                63..74 => User::Show,
                74..80 => User::Offline,
                80..86 => User::Online,
                _ => {
                    let of = *pick(
                        rng,
                        &[ResumeOf::Known, ResumeOf::Known, ResumeOf::Current, ResumeOf::Unknown, ResumeOf::Malformed],
                    );
                    let query = rng.bool().then(|| (*pick(rng, &QUERIES)).to_owned());
                    if let Some(query) = &query {
                        last_query.clone_from(query);
                    }
                    User::Resume(of, query)
                }
            }
        };
        script.push((t, action));
        t += rng.u64(0..=gap_max);
    }
    // User actions stop with the page shown and online, so that every run must end.
    script.push((t, User::Online));
    script.push((t, User::Show));
    script.reverse();
    script
}

// ---------------------------------------------------------------------------------------
// The model of the spec and the driver.

#[derive(Clone, Copy, Debug)]
struct Flight {
    id: RequestId,
    start: bool,
    sent_at: Millis,
}

#[derive(Debug)]
struct ModelRun {
    query: Option<String>,
    /// Every id of the run the poller knows (the UUID and the numeric id, as text).
    known: Vec<String>,
    /// Resumed, and no session answered yet: a 404 means gone.
    unconfirmed: bool,
    /// The transient failure being retried.
    last_failure: Option<(ErrorKind, Option<u16>)>,
    ended: bool,
    /// The active clock (paused time excluded) at submit.
    start_active: Millis,
    /// The id the state URL must name.
    poll_id: Option<String>,
    last_updated_at: Option<String>,
    last_change_active: Millis,
    first_failure_active: Option<Millis>,
    next_poll_at: Option<Millis>,
    failed: u32,
    succeeded: u32,
}

/// What an input must lead to.
#[derive(Debug)]
enum Want {
    /// Go on polling: in `phase`, next poll after `wait` (or paused when hidden).
    Schedule { phase: Phase, wait: Millis },
    /// The run ends.
    End {
        phase: Phase,
        error: Option<(ErrorKind, Option<u16>)>,
        start_failed: bool,
        success: Option<Map<String, Value>>,
    },
}

struct Sim {
    trace: bool,
    rng: Rng,
    timings: Timings,
    poller: Poller<str>,
    server: Server,
    now: Millis,
    pending: Vec<Pending>,
    user: Vec<(Millis, User)>,
    visible: bool,
    online: bool,
    disposed: bool,
    run: Option<ModelRun>,
    in_flight: Option<Flight>,
    /// Requests aborted by the poller, whose replies must change nothing.
    aborted: HashSet<RequestId>,
    /// Start requests not yet settled.
    starts: HashSet<RequestId>,
    /// Server run behind each start request.
    start_runs: BTreeMap<RequestId, usize>,
    paused_total: Millis,
    paused_since: Option<Millis>,
    stats: Stats,
}

fn random_timings(rng: &mut Rng) -> Timings {
    if rng.u8(..20) == 0 {
        return Timings { pause_when_hidden: rng.bool(), ..Timings::default() };
    }
    let mut t = Timings {
        poll_interval: if rng.bool() { *pick(rng, &[0, 1, 10, 100, 500]) } else { rng.u64(0..=800) },
        error_poll_interval: rng.u64(0..=3_000),
        max_error_window: rng.u64(0..=15_000),
        stale_after: rng.u64(0..=15_000),
        max_run: rng.u64(0..=40_000),
        // At least 1 ms: with a zero timeout and a zero error interval, virtual time would stand still.
        request_timeout: rng.u64(1..=6_000),
        pause_when_hidden: rng.bool(),
    };
    if rng.u8(..4) == 0 {
        // Windows that are whole multiples of a poll cycle (interval + 1 ms of latency), so that
        // answers land exactly on the boundaries, where an off-by-one would show.
        t.max_error_window = (t.error_poll_interval + 1) * rng.u64(0..=8);
        t.stale_after = (t.poll_interval + 1) * rng.u64(0..=40);
        t.max_run = (t.poll_interval + 1) * rng.u64(0..=80);
    }
    t
}

impl Sim {
    fn new(seed: u64, trace: bool) -> Self {
        let mut rng = Rng::with_seed(seed);
        let timings = random_timings(&mut rng);
        let server = Server::new(&mut rng, timings.max_run);
        let user = user_script(&mut rng, timings.max_run);
        let endpoints = Endpoints::new("acme", None).unwrap();
        let template = StartTemplate::new(StartRequestInput {
            project_ids: vec![-1.0],
            strategy: "Traces".into(),
            ..Default::default()
        })
        .unwrap();
        if trace {
            println!("seed {seed}: {timings:?}");
            println!(
                "server: latency<={} p_hang={} p_fail={} outage={:?} p_start_fail={} p_drop_late={}",
                server.latency_max,
                server.p_hang,
                server.p_fail,
                server.outage,
                server.p_start_fail,
                server.p_drop_late
            );
        }
        Self {
            trace,
            rng,
            timings,
            poller: Poller::new(endpoints, template, timings),
            server,
            now: 0,
            pending: Vec::new(),
            user,
            visible: true,
            online: true,
            disposed: false,
            run: None,
            in_flight: None,
            aborted: HashSet::new(),
            starts: HashSet::new(),
            start_runs: BTreeMap::new(),
            paused_total: 0,
            paused_since: None,
            stats: Stats::default(),
        }
    }

    fn log(&self, what: impl FnOnce() -> String) {
        if self.trace {
            println!("{:>8} ms  {}", self.now, what());
        }
    }

    /// Milliseconds of virtual time spent outside `paused`.
    fn active(&self) -> Millis {
        self.now - self.paused_total - self.paused_since.map_or(0, |since| self.now - since)
    }

    fn active_run(&self) -> Option<&ModelRun> {
        self.run.as_ref().filter(|run| !run.ended && !self.disposed)
    }

    fn run(mut self) -> Stats {
        loop {
            self.stats.steps += 1;
            assert!(self.stats.steps < MAX_STEPS, "no end after {MAX_STEPS} steps: the poller livelocks");
            let reply_at = self.pending.iter().map(|p| p.at).min();
            let user_at = self.user.last().map(|u| u.0);
            let timer_at = self.poller.poll_timeout();
            let Some(t) = [reply_at, user_at, timer_at].into_iter().flatten().min() else { break };
            assert!(t >= self.now, "the poller asks for {t}, before now ({})", self.now);
            self.now = t;
            let mut due = Vec::new();
            if reply_at == Some(t) {
                due.push(0);
            }
            if user_at == Some(t) {
                due.push(1);
            }
            if timer_at == Some(t) {
                due.push(2);
            }
            match *pick(&mut self.rng, &due) {
                0 => {
                    let ties: Vec<usize> = (0..self.pending.len()).filter(|&i| self.pending[i].at == t).collect();
                    let index = *pick(&mut self.rng, &ties);
                    let pending = self.pending.swap_remove(index);
                    self.on_reply(pending);
                }
                1 => {
                    let (_, action) = self.user.pop().unwrap();
                    self.on_user(action);
                }
                _ => self.on_timer(),
            }
        }
        // User actions have stopped with the page shown and every reply is in: all runs are over.
        assert_eq!(self.poller.poll_timeout(), None);
        assert!(
            self.in_flight.is_none() && self.starts.is_empty(),
            "left over: {:?} {:?}",
            self.in_flight,
            self.starts
        );
        if !self.disposed {
            let phase = self.poller.snapshot().phase;
            assert!(!phase.is_active(), "the run never ended: {phase:?}");
        }
        self.stats
    }

    /// Feeds one input; checks that `Publish` comes exactly when the snapshot changed.
    fn step(&mut self, input: impl FnOnce(&mut Poller<str>, Millis)) -> Vec<Action<Value>> {
        let before = self.poller.snapshot().clone();
        let version = self.poller.version();
        input(&mut self.poller, self.now);
        let actions = drain(&mut self.poller);
        let publishes = actions.iter().filter(|a| **a == Action::Publish).count();
        let changed = *self.poller.snapshot() != before;
        assert_eq!(publishes, usize::from(changed), "Publish must come exactly when the snapshot changed: {actions:?}");
        assert_eq!(self.poller.version(), version + publishes as u64);
        self.log(|| format!("    -> {actions:?}"));
        actions
    }

    /// Checks each action against the model, in order, and carries out sends.
    fn apply(&mut self, actions: &[Action<Value>], mut allowed_post: Option<&str>) {
        for action in actions {
            match action {
                Action::Abort(id) => {
                    assert_eq!(self.in_flight.map(|f| f.id), Some(*id), "aborted a request not in flight");
                    self.in_flight = None;
                    self.aborted.insert(*id);
                }
                Action::Send(request) => {
                    assert!(self.in_flight.is_none(), "a second request while {:?} is in flight", self.in_flight);
                    assert!(!self.disposed, "a request after dispose");
                    let start = request.method == Method::Post;
                    if start {
                        let query = allowed_post
                            .take()
                            .unwrap_or_else(|| panic!("a start request outside a submit: {request:?}"));
                        assert_eq!(request.url, START_URL);
                        let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
                        assert_eq!(body["natural_language_query"], json!(query));
                        assert!(self.starts.insert(request.id));
                        let (reply, expect, index) = self.server.start(&mut self.rng, self.now);
                        if let Some(index) = index {
                            self.start_runs.insert(request.id, index);
                        }
                        self.schedule_reply(request.id, reply, expect);
                    } else {
                        let run = self.run.as_mut().filter(|r| !r.ended);
                        let run = run.unwrap_or_else(|| {
                            panic!("a poll with no run under way (finished, reset or disposed): {request:?}")
                        });
                        let poll_id =
                            run.poll_id.as_deref().unwrap_or_else(|| panic!("a poll before the run has an id"));
                        assert_eq!(request.url, format!("{STATE_PREFIX}{poll_id}/"), "polled by the wrong id");
                        assert!(request.body.is_none());
                        if let Some(at) = run.next_poll_at.take() {
                            assert!(at <= self.now, "polled at {} before its time {at}", self.now);
                        }
                        let (reply, expect) = self.server.state(&mut self.rng, self.now, &request.url);
                        self.schedule_reply(request.id, reply, expect);
                    }
                    self.in_flight = Some(Flight { id: request.id, start, sent_at: self.now });
                }
                Action::Publish => {}
                Action::Succeeded(response) => {
                    let snapshot = self.poller.snapshot();
                    let session = snapshot.session.as_ref().unwrap();
                    assert_eq!(snapshot.phase, Phase::Completed);
                    assert_eq!(
                        (session.status.as_str(), session.final_response.as_ref()),
                        ("completed", Some(response))
                    );
                    let run = self.run.as_mut().unwrap();
                    run.succeeded += 1;
                    assert_eq!(run.succeeded, 1, "onSuccess twice in one run");
                }
                Action::Failed(error) => {
                    assert_eq!(
                        self.poller.snapshot().error.as_ref(),
                        Some(error),
                        "onError without the snapshot's error"
                    );
                    let run = self.run.as_mut().unwrap();
                    run.failed += 1;
                    assert_eq!(run.failed, 1, "onError twice in one run");
                }
                Action::StartSettled(id) => {
                    assert!(self.starts.remove(id), "StartSettled({id:?}) matches no pending start request");
                }
            }
        }
        assert!(allowed_post.is_none(), "the submit sent no start request");
    }

    fn schedule_reply(&mut self, id: RequestId, reply: OwnedReply, expect: Expect) {
        let (latency, hung) = self.server.latency(&mut self.rng, self.timings.request_timeout);
        self.pending.push(Pending { at: self.now + latency, id, reply, expect, hung });
    }

    /// Checks that hold after every step.
    fn check(&mut self, was_active: bool) {
        let snapshot = self.poller.snapshot().clone();
        match (snapshot.phase == Phase::Paused && !self.disposed, self.paused_since) {
            (true, None) => {
                self.paused_since = Some(self.now);
                self.stats.pauses += 1;
                self.stats.offline_pauses += u64::from(!self.online);
            }
            (false, Some(since)) => {
                self.paused_total += self.now - since;
                self.paused_since = None;
            }
            _ => {}
        }
        let active = self.active();
        let bound = self.timings.max_run + self.timings.request_timeout + SLACK_MS;
        if let Some(run) = self.run.as_mut().filter(|_| was_active) {
            let age = active - run.start_active;
            assert!(age <= bound, "a run still going after {age} ms of active time (bound {bound})");
        }
        if let Some(run) = self.run.as_mut().filter(|r| !r.ended && !self.disposed && !snapshot.phase.is_active()) {
            // The run ended: onError once exactly when the error is set, onSuccess once for a final response.
            run.ended = true;
            self.stats.runs += 1;
            assert_eq!(run.failed, u32::from(snapshot.error.is_some()), "onError calls for {snapshot:?}");
            let session = snapshot.session.as_ref();
            let success = snapshot.phase == Phase::Completed
                && session.is_some_and(|s| s.status == "completed" && s.final_response.is_some());
            assert_eq!(run.succeeded, u32::from(success), "onSuccess calls for {snapshot:?}");
        }
        if snapshot.error.is_some() {
            assert!(matches!(snapshot.phase, Phase::Error | Phase::TimedOut), "{snapshot:?}");
        }
        if snapshot.start_failed {
            assert!(
                snapshot.phase == Phase::Error && snapshot.error.is_some() && snapshot.run_id.is_none(),
                "{snapshot:?}"
            );
        }
        if !self.disposed {
            let reason = self.pause_reason().filter(|_| snapshot.phase == Phase::Paused);
            assert_eq!(snapshot.paused_by, reason, "pausedBy in {:?}", snapshot.phase);
            let retried = self.active_run().and_then(|run| run.last_failure);
            assert_eq!(snapshot.last_failure.as_ref().map(|e| (e.kind, e.status)), retried, "lastFailure");
        }
        let expected_due = self.expected_due();
        assert_eq!(self.poller.poll_timeout(), expected_due, "next deadline; model {:?}", self.run);
        match self.active_run() {
            None => {
                assert!(self.in_flight.is_none(), "a request in flight with no run: {:?}", self.in_flight);
                assert!(self.starts.is_empty(), "unsettled start requests with no run: {:?}", self.starts);
            }
            Some(run) => {
                assert!(snapshot.phase.is_active(), "{snapshot:?}");
                assert_eq!(snapshot.phase == Phase::Starting, run.poll_id.is_none());
                assert_eq!(snapshot.phase == Phase::Starting, self.in_flight.is_some_and(|f| f.start));
                if snapshot.phase == Phase::Paused {
                    assert!(self.in_flight.is_none() && run.next_poll_at.is_none());
                }
                if let Some(id) = &run.poll_id {
                    assert_eq!(snapshot.run_id.as_ref().map(ToString::to_string).as_ref(), Some(id));
                }
            }
        }
    }

    /// When the poller must next be woken: the request timeout, the next poll or the run's budget.
    fn expected_due(&self) -> Option<Millis> {
        let run = self.active_run()?;
        if self.poller.snapshot().phase == Phase::Paused {
            return None;
        }
        let elapsed = self.active() - run.start_active;
        let run_deadline = self.now + self.timings.max_run.saturating_sub(elapsed);
        let next = self.in_flight.map(|f| f.sent_at + self.timings.request_timeout).or(run.next_poll_at);
        Some(next.map_or(run_deadline, |at| at.min(run_deadline)))
    }

    /// Why the poller must pause now, if it must.
    fn pause_reason(&self) -> Option<PauseReason> {
        if !self.online {
            Some(PauseReason::Offline)
        } else if self.timings.pause_when_hidden && !self.visible {
            Some(PauseReason::Hidden)
        } else {
            None
        }
    }

    fn new_run(&self, query: Option<String>, poll_id: Option<String>, known: Vec<String>) -> ModelRun {
        ModelRun {
            query,
            unconfirmed: poll_id.is_some(),
            poll_id,
            known,
            last_failure: None,
            ended: false,
            start_active: self.active(),
            last_updated_at: None,
            last_change_active: self.active(),
            first_failure_active: None,
            next_poll_at: None,
            failed: 0,
            succeeded: 0,
        }
    }

    /// The id to resume, as JavaScript would pass it, and the ids it names (none when malformed).
    fn resume_target(&mut self, of: ResumeOf) -> (Value, Vec<String>) {
        let rng = &mut self.rng;
        let current = self.run.as_ref().filter(|r| !r.ended && !self.disposed).filter(|r| !r.known.is_empty());
        match (of, current) {
            (ResumeOf::Current, Some(run)) => {
                let id = pick(rng, &run.known).clone();
                let value = match id.parse::<u64>() {
                    Ok(n) if rng.bool() => json!(n),
                    _ => json!(id),
                };
                (value, vec![id])
            }
            (ResumeOf::Known | ResumeOf::Current, _) if !self.server.runs.is_empty() => {
                let run = &self.server.runs[rng.usize(..self.server.runs.len())];
                let numeric = run.numeric.to_string();
                match (run.uuid, rng.u8(..4)) {
                    (Some(uuid), 0) => {
                        let object = json!({"kind": "uuid", "value": uuid.to_string(), "sentryRunId": uuid_text(rng, uuid), "numericRunId": run.numeric});
                        (object, vec![uuid.to_string(), numeric])
                    }
                    (Some(uuid), 1) => (json!(uuid_text(rng, uuid)), vec![uuid.to_string()]),
                    (_, 2) => (json!(run.numeric), vec![numeric]),
                    _ => (json!(numeric), vec![numeric]),
                }
            }
            (ResumeOf::Malformed, _) => {
                (pick(rng, &[json!("../x"), json!(""), json!(0), json!(1.5), json!(null), json!({})]).clone(), vec![])
            }
            _ => {
                let uuid = Uuid::from_u128(rng.u128(..)).to_string();
                self.server.unknown.insert(uuid.clone());
                (json!(uuid), vec![uuid])
            }
        }
    }

    fn on_user(&mut self, action: User) {
        self.log(|| format!("user {action:?}"));
        let was_active = self.active_run().is_some();
        match action {
            User::Submit(query) => {
                let ignored =
                    self.disposed || self.active_run().is_some_and(|run| run.query.as_deref() == Some(query.as_str()));
                let blank = query.trim().is_empty();
                if !ignored {
                    if was_active {
                        self.stats.runs_dropped += 1;
                    }
                    self.run = Some(self.new_run(Some(query.clone()), None, Vec::new()));
                }
                let mut id = None;
                let actions = self.step(|p, now| id = p.submit(now, &query));
                self.apply(&actions, (!ignored && !blank).then_some(query.as_str()));
                let snapshot = self.poller.snapshot();
                if ignored {
                    self.stats.resubmits_ignored += 1;
                    assert_eq!(id, None);
                    assert!(actions.is_empty(), "an ignored submit did something: {actions:?}");
                } else if blank {
                    self.stats.blank_queries += 1;
                    assert_eq!(id, None);
                    assert_eq!((snapshot.phase, snapshot.start_failed), (Phase::Error, true));
                    assert_eq!(snapshot.error.as_ref().map(|e| e.kind), Some(ErrorKind::InvalidConfig));
                } else {
                    assert_eq!(id, self.in_flight.map(|f| f.id));
                    assert_eq!(*snapshot, Snapshot { phase: Phase::Starting, ..Snapshot::default() });
                }
            }
            User::Reset => {
                if let Some(run) = self.run.as_mut() {
                    run.ended = true;
                }
                let before = self.poller.snapshot().clone();
                let actions = self.step(|p, _| p.reset());
                self.apply(&actions, None);
                if self.disposed {
                    // Disposed for good: reset is ignored like every other input.
                    assert!(actions.is_empty(), "reset after dispose did something: {actions:?}");
                    assert_eq!(*self.poller.snapshot(), before);
                } else {
                    assert_eq!(*self.poller.snapshot(), Snapshot::default());
                }
            }
            User::Dispose => {
                if let Some(run) = self.run.as_mut() {
                    run.ended = true;
                }
                self.disposed = true;
                self.stats.disposed += 1;
                let before = self.poller.snapshot().clone();
                let actions = self.step(|p, _| p.dispose());
                self.apply(&actions, None);
                assert_eq!(*self.poller.snapshot(), before);
                assert!(self.poller.is_disposed());
            }
            User::Resume(of, query) => {
                let (value, target) = self.resume_target(of);
                let same = self.active_run().is_some_and(|run| run.known.iter().any(|id| target.contains(id)));
                let ignored = self.disposed || same;
                if !ignored {
                    if was_active {
                        self.stats.runs_dropped += 1;
                    }
                    let query = query.clone().filter(|q| !q.trim().is_empty());
                    let poll_id = target.first().cloned();
                    self.run = Some(self.new_run(query, poll_id, target.clone()));
                }
                let actions = self.step(|p, now| p.resume(now, RunId::from_json(&value), query.as_deref()));
                self.apply(&actions, None);
                let snapshot = self.poller.snapshot();
                if ignored {
                    self.stats.resumes_ignored += u64::from(same);
                    assert!(actions.is_empty(), "an ignored resume did something: {actions:?}");
                } else if target.is_empty() {
                    self.stats.malformed_resumes += 1;
                    assert!(!actions.iter().any(|a| matches!(a, Action::Send(_))), "{actions:?}");
                    assert_eq!((snapshot.phase, snapshot.start_failed), (Phase::Error, false));
                    assert_eq!(snapshot.error.as_ref().map(|e| e.kind), Some(ErrorKind::InvalidRunId));
                } else {
                    self.stats.resumes += 1;
                    let expected = if self.pause_reason().is_some() { Phase::Paused } else { Phase::Polling };
                    assert_eq!(snapshot.phase, expected);
                    assert_eq!(snapshot.run_id.as_ref().map(ToString::to_string), target.first().cloned());
                    assert_eq!(self.in_flight.is_some(), expected == Phase::Polling, "{actions:?}");
                }
            }
            User::Hide | User::Show | User::Offline | User::Online => {
                let paused = self.poller.snapshot().phase == Phase::Paused;
                match action {
                    User::Hide | User::Show => self.visible = matches!(action, User::Show),
                    _ => self.online = matches!(action, User::Online),
                }
                let run = self.active_run();
                let pausing = self.pause_reason().is_some();
                let pause = pausing && !paused && self.in_flight.is_none() && run.is_some_and(|r| r.poll_id.is_some());
                let resume = !pausing && paused && run.is_some();
                let backoff = run.is_some_and(|r| r.first_failure_active.is_some());
                if pause {
                    if let Some(run) = self.run.as_mut() {
                        run.next_poll_at = None;
                    }
                }
                let (visible, online) = (self.visible, self.online);
                let actions = self.step(|p, now| match action {
                    User::Hide | User::Show => p.set_visible(now, visible),
                    _ => p.set_online(now, online),
                });
                self.apply(&actions, None);
                let phase = self.poller.snapshot().phase;
                if pause {
                    assert_eq!(phase, Phase::Paused);
                } else if resume {
                    assert_eq!(phase, if backoff { Phase::Backoff } else { Phase::Polling });
                    assert!(self.in_flight.is_some(), "no poll on resuming");
                } else {
                    // At most the reason of a pause changes.
                    assert!(actions.iter().all(|a| *a == Action::Publish), "{action:?} did something: {actions:?}");
                    assert!(actions.is_empty() || paused, "{action:?} published outside a pause: {actions:?}");
                }
            }
        }
        self.check(was_active);
    }

    fn on_reply(&mut self, pending: Pending) {
        let Pending { id, reply, expect, hung, .. } = pending;
        let current = self.in_flight.is_some_and(|f| f.id == id);
        if !current && self.aborted.contains(&id) && self.rng.f64() < self.server.p_drop_late {
            return;
        }
        self.log(|| format!("reply to {} ({}): {reply:?}", id.get(), if current { "current" } else { "old" }));
        let unix_now_ms = UNIX_BASE_MS + self.now;
        let deliver = |p: &mut Poller<str>, now: Millis| match &reply {
            OwnedReply::Http { status, body, retry_after } => p.handle_reply(
                now,
                id,
                Reply::Http {
                    response: HttpResponse { status: *status, body },
                    retry_after: retry_after.as_deref(),
                    unix_now_ms,
                },
            ),
            OwnedReply::Network => p.handle_reply(now, id, Reply::Network("connection reset")),
        };
        if !current {
            assert!(self.aborted.contains(&id), "a reply to request {id:?}, neither in flight nor aborted");
            let before = self.poller.snapshot().clone();
            let actions = self.step(deliver);
            assert!(actions.is_empty(), "the reply of an old request did something: {actions:?}");
            assert_eq!(*self.poller.snapshot(), before);
            self.stats.late_replies_ignored += 1;
            self.check(self.active_run().is_some());
            return;
        }
        assert!(!hung, "request {id:?} outlived its timeout");
        let flight = self.in_flight.take().unwrap();
        let retry_after = match &reply {
            OwnedReply::Http { retry_after, .. } => retry_after_ms(retry_after.as_deref(), unix_now_ms),
            OwnedReply::Network => None,
        };
        if let (Expect::StartOk(..), Some(index)) = (&expect, self.start_runs.get(&id)) {
            if matches!(&reply, OwnedReply::Http { status, .. } if *status >= 500) {
                assert!(self.server.runs[*index].uuid.is_some());
                self.stats.retry_token_runs += 1;
            }
        }
        let want = self.want(flight, expect, retry_after);
        let actions = self.step(deliver);
        self.apply(&actions, None);
        self.verify(&want, &actions);
        self.check(true);
    }

    fn on_timer(&mut self) {
        self.log(|| "timer".to_owned());
        let run = self.active_run().unwrap_or_else(|| panic!("a deadline with no run under way"));
        let elapsed = self.active() - run.start_active;
        let next_poll_at = run.next_poll_at;
        let want = if elapsed >= self.timings.max_run {
            self.stats.timed_out_max_run += 1;
            let error = Some((ErrorKind::Timeout, None));
            Some(Want::End { phase: Phase::TimedOut, error, start_failed: false, success: None })
        } else if let Some(flight) = self.in_flight.filter(|f| f.sent_at + self.timings.request_timeout <= self.now) {
            self.stats.request_timeouts += 1;
            let expect = if flight.start {
                Expect::StartFail(ErrorKind::RequestTimeout, None)
            } else {
                Expect::Transient(ErrorKind::RequestTimeout, None)
            };
            Some(self.want(flight, expect, None))
        } else {
            assert!(
                self.in_flight.is_none() && next_poll_at.is_some_and(|at| at <= self.now),
                "woken with nothing due"
            );
            None
        };
        let in_flight = self.in_flight;
        let actions = self.step(|p, now| p.handle_timeout(now));
        self.apply(&actions, None);
        if let Some(flight) = in_flight {
            assert!(self.aborted.contains(&flight.id), "the request due was not aborted: {actions:?}");
        }
        match &want {
            Some(want) => self.verify(want, &actions),
            None => {
                let sent = actions.iter().filter(|a| matches!(a, Action::Send(_))).count();
                assert_eq!((sent, actions.len()), (1, 1), "a due poll: {actions:?}");
            }
        }
        self.check(true);
    }

    /// What the current request's outcome must do, updating the model's clocks as the spec says.
    fn want(&mut self, flight: Flight, expect: Expect, retry_after: Option<Millis>) -> Want {
        let t = self.timings;
        let active = self.active();
        let run = self.run.as_mut().unwrap();
        let elapsed = active - run.start_active;
        let end = |phase, error: Option<(ErrorKind, Option<u16>)>| Want::End {
            phase,
            error,
            start_failed: false,
            success: None,
        };
        match (flight.start, expect) {
            (true, Expect::StartOk(id, known)) => {
                run.poll_id = Some(id);
                run.known = known;
                run.last_change_active = active;
                Want::Schedule { phase: Phase::Polling, wait: 0 }
            }
            (true, Expect::StartFail(kind, status)) => {
                if kind == ErrorKind::MissingRunId {
                    self.stats.missing_run_id += 1;
                }
                self.stats.start_failed += 1;
                Want::End { phase: Phase::Error, error: Some((kind, status)), start_failed: true, success: None }
            }
            (false, Expect::Processing { updated_at, uuid }) => {
                run.first_failure_active = None;
                run.last_failure = None;
                run.unconfirmed = false;
                if let Some(uuid) = uuid {
                    let numeric = run.poll_id.as_ref().is_some_and(|id| id.bytes().all(|b| b.is_ascii_digit()));
                    if numeric {
                        run.known.push(uuid.clone());
                        run.poll_id = Some(uuid);
                        self.stats.uuid_upgrades += 1;
                    }
                }
                if updated_at.is_some() && updated_at != run.last_updated_at {
                    run.last_updated_at = updated_at;
                    run.last_change_active = active;
                }
                if elapsed >= t.max_run {
                    self.stats.timed_out_max_run += 1;
                    end(Phase::TimedOut, Some((ErrorKind::Timeout, None)))
                } else if active - run.last_change_active >= t.stale_after {
                    self.stats.timed_out_stale += 1;
                    end(Phase::TimedOut, Some((ErrorKind::Timeout, None)))
                } else {
                    Want::Schedule { phase: Phase::Polling, wait: t.poll_interval }
                }
            }
            (false, Expect::Finished { status, final_response }) => {
                match (status, &final_response) {
                    ("completed", Some(_)) => self.stats.completed_with_response += 1,
                    ("error", _) => self.stats.server_error_status += 1,
                    _ => self.stats.completed_without_response += 1,
                }
                let phase = if status == "error" { Phase::Error } else { Phase::Completed };
                let success = final_response.filter(|_| status == "completed");
                Want::End { phase, error: None, start_failed: false, success }
            }
            (false, Expect::Fatal(ErrorKind::Http, Some(404))) if run.unconfirmed => {
                self.stats.gone += 1;
                end(Phase::Gone, None)
            }
            (false, Expect::Fatal(kind, status)) => {
                if kind == ErrorKind::Http {
                    self.stats.poll_http_errors += 1;
                    self.stats.server_forgot += u64::from(status == Some(404));
                }
                end(Phase::Error, Some((kind, status)))
            }
            (false, Expect::Transient(kind, status)) => {
                let first = *run.first_failure_active.get_or_insert(active);
                if active - first >= t.max_error_window {
                    self.stats.gave_up += 1;
                    end(Phase::Error, Some((kind, status)))
                } else {
                    if retry_after.is_some_and(|ra| ra > t.error_poll_interval) {
                        self.stats.retry_after_waits += 1;
                    }
                    let wait = retry_after.unwrap_or(0).max(t.error_poll_interval).min(t.max_error_window);
                    run.last_failure = Some((kind, status));
                    Want::Schedule { phase: Phase::Backoff, wait }
                }
            }
            (start, expect) => {
                panic!("model error: {expect:?} for a {} request", if start { "start" } else { "state" })
            }
        }
    }

    /// Checks the step's outcome against `want`, and schedules the model's next poll.
    fn verify(&mut self, want: &Want, actions: &[Action<Value>]) {
        let snapshot = self.poller.snapshot().clone();
        let sent = actions.iter().any(|a| matches!(a, Action::Send(_)));
        match want {
            Want::Schedule { phase, wait } => {
                let paused = self.pause_reason().is_some();
                let expected = if paused { Phase::Paused } else { *phase };
                assert_eq!(snapshot.phase, expected, "after {actions:?}");
                assert_eq!((snapshot.error.as_ref(), snapshot.start_failed), (None, false));
                let now = self.now;
                let run = self.run.as_mut().unwrap();
                if paused {
                    assert!(!sent, "polled while hidden");
                } else if *wait == 0 {
                    assert!(sent && self.in_flight.is_some(), "no immediate poll: {actions:?}");
                } else {
                    assert!(!sent, "polled before the wait: {actions:?}");
                    run.next_poll_at = Some(now + wait);
                }
            }
            Want::End { phase, error, start_failed, success } => {
                assert!(!sent, "a request as the run ends: {actions:?}");
                assert_eq!(snapshot.phase, *phase, "{snapshot:?}");
                assert_eq!(snapshot.error.as_ref().map(|e| (e.kind, e.status)), *error);
                if *error == Some((ErrorKind::Http, Some(404))) {
                    let message = snapshot.error.as_ref().map_or("", |e| e.message.as_str());
                    assert!(message.starts_with("the server no longer knows run "), "{message}");
                }
                assert_eq!(snapshot.start_failed, *start_failed);
                let reported: Vec<Value> = actions
                    .iter()
                    .filter_map(|a| {
                        if let Action::Succeeded(r) = a { Some(serde_json::to_value(r).unwrap()) } else { None }
                    })
                    .collect();
                assert_eq!(reported, success.iter().map(|r| Value::Object(r.clone())).collect::<Vec<_>>());
                let failed = actions.iter().filter(|a| matches!(a, Action::Failed(_))).count();
                assert_eq!(failed, usize::from(error.is_some()));
            }
        }
    }
}
