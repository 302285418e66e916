//! The polling lifecycle as a sans-IO state machine.
//!
//! Inputs (submit, resume, replies, timer expiry, visibility, connectivity, reset, dispose)
//! arrive with the current time of a monotonic clock in milliseconds; the machine answers with
//! [`Action`]s (send, abort, publish, callbacks) drained by [`Poller::poll_action`], and with one
//! deadline, [`Poller::poll_timeout`], at which [`Poller::handle_timeout`] is due. It does
//! no I/O and keeps no clock of its own.

use super::body::Body;
use super::config::{Endpoints, StartTemplate, Timings};
use super::error::{Error, ErrorKind};
use super::response::{HttpResponse, PollResult, StartFailure, decode_poll, decode_start, is_transient};
use super::retry_after::retry_after_ms;
use super::run_id::RunId;
use super::session::Session;
use super::snapshot::{PauseReason, Phase, Snapshot};
use std::borrow::Borrow;
use std::collections::VecDeque;

/// Milliseconds on the driver's monotonic clock.
pub type Millis = u64;

/// Names one request, so that its reply can be matched and a stale one dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(u64);

impl RequestId {
    /// The id of a request sent outside a poller.
    pub const ONE_SHOT: Self = Self(0);

    /// The id as a number.
    pub fn get(self) -> u64 {
        self.0
    }
}

/// The HTTP method of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`, for the state endpoint.
    Get,
    /// `POST` with a JSON body, for the start endpoint.
    Post,
}

/// A request to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Pass it back with the reply.
    pub id: RequestId,
    /// The method.
    pub method: Method,
    /// The URL, built from validated parts only.
    pub url: String,
    /// The JSON body of a `POST`.
    pub body: Option<String>,
}

/// What the driver must do next. `J` is the platform's JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Action<J> {
    /// Send this request and feed its reply to [`Poller::handle_reply`].
    Send(Request),
    /// Abort this request; its reply, if any, will be ignored.
    Abort(RequestId),
    /// The snapshot changed: notify the listeners.
    Publish,
    /// Call `onSuccess` with the run's final response.
    Succeeded(J),
    /// Call `onError`: the run ended with this error.
    Failed(Error),
    /// The start request with this id is settled: `submitQuery` may resolve.
    StartSettled(RequestId),
}

/// How a request ended.
#[derive(Debug)]
pub enum Reply<'a, B: ?Sized> {
    /// The server answered.
    Http {
        /// Status and body.
        response: HttpResponse<'a, B>,
        /// The `Retry-After` header.
        retry_after: Option<&'a str>,
        /// The wall clock when the answer arrived, in ms since the Unix epoch, for an HTTP-date `Retry-After`.
        unix_now_ms: u64,
    },
    /// No answer: `fetch` threw with this message.
    Network(&'a str),
    /// No answer within `requestTimeoutMs`. The poller feeds this to itself when a request's
    /// deadline passes; a driver with a deadline of its own may feed it too.
    TimedOut,
}

impl<B: ?Sized> Clone for Reply<'_, B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B: ?Sized> Copy for Reply<'_, B> {}

#[derive(Clone, Copy, Debug)]
struct InFlight {
    id: RequestId,
    deadline: Millis,
}

/// One run: from the start request to its end.
struct Run<B: Body + ?Sized> {
    /// The question; `None` for a run resumed without one.
    query: Option<String>,
    /// The endpoints of the options the run started with, once the poller's are others.
    endpoints: Option<Endpoints>,
    started_at: Millis,
    /// `None` while the start request is out.
    run_id: Option<RunId>,
    in_flight: Option<InFlight>,
    next_poll_at: Option<Millis>,
    /// When the wait for `next_poll_at` began: the answer it follows.
    waiting_since: Millis,
    /// The `Retry-After` of the last transient failure, in milliseconds.
    retry_after: Option<u64>,
    first_failure_at: Option<Millis>,
    last_updated_at: Option<String>,
    last_change_at: Millis,
    /// The last state body decoded, so that an identical answer is not decoded again.
    last_body: Option<B::Owned>,
    paused_since: Option<Millis>,
    /// A resumed run the server has not yet answered with a session: a 404 means it is gone.
    unconfirmed: bool,
}

impl<B: Body + ?Sized> Run<B> {
    fn new(now: Millis, query: Option<String>, run_id: Option<RunId>) -> Self {
        Self {
            query,
            endpoints: None,
            started_at: now,
            run_id,
            in_flight: None,
            next_poll_at: None,
            waiting_since: now,
            retry_after: None,
            first_failure_at: None,
            last_updated_at: None,
            last_change_at: now,
            last_body: None,
            paused_since: None,
            unconfirmed: false,
        }
    }
}

/// The `AskSeerPoller` state machine, over the shell's answer bodies `B`.
pub struct Poller<B: Body + ?Sized> {
    endpoints: Endpoints,
    template: StartTemplate,
    timings: Timings,
    snapshot: Snapshot<B::Json>,
    version: u64,
    changed: bool,
    run: Option<Run<B>>,
    visible: bool,
    online: bool,
    disposed: bool,
    next_request: u64,
    actions: VecDeque<Action<B::Json>>,
    callbacks: Vec<Action<B::Json>>,
}

fn update<T: PartialEq>(slot: &mut T, value: T, changed: &mut bool) {
    if *slot != value {
        *slot = value;
        *changed = true;
    }
}

impl<B: Body + ?Sized> Poller<B> {
    /// A poller for one organization, project set and strategy.
    pub fn new(endpoints: Endpoints, template: StartTemplate, timings: Timings) -> Self {
        Self {
            endpoints,
            template,
            timings,
            snapshot: Snapshot::default(),
            version: 0,
            changed: false,
            run: None,
            visible: true,
            online: true,
            disposed: false,
            next_request: 0,
            actions: VecDeque::new(),
            callbacks: Vec::new(),
        }
    }

    /// The current state.
    pub fn snapshot(&self) -> &Snapshot<B::Json> {
        &self.snapshot
    }

    /// Grows by one each time the snapshot changes.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The next thing to do, in order.
    #[must_use]
    pub fn poll_action(&mut self) -> Option<Action<B::Json>> {
        self.actions.pop_front()
    }

    /// When [`Poller::handle_timeout`] is next due, if ever.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Millis> {
        let run = self.run.as_ref().filter(|run| run.paused_since.is_none())?;
        let run_deadline = run.started_at.saturating_add(self.timings.max_run);
        let next = run.in_flight.map(|f| f.deadline).or(run.next_poll_at);
        Some(next.map_or(run_deadline, |at| at.min(run_deadline)))
    }

    /// Asks the agent `query`. Returns the id of the start request, whose settling
    /// [`Action::StartSettled`] reports, or `None` when nothing was sent: the query is the
    /// one of the run under way, it is blank, or the poller is disposed.
    pub fn submit(&mut self, now: Millis, query: &str) -> Option<RequestId> {
        if self.disposed || self.run.as_ref().is_some_and(|run| run.query.as_deref() == Some(query)) {
            return None;
        }
        self.drop_run();
        let body = if query.trim().is_empty() {
            Err(Error::new(ErrorKind::InvalidConfig, "the question is empty: there is nothing to ask"))
        } else {
            Ok(self.template.body(query))
        };
        // One update of the whole snapshot, so that failing the same way again changes nothing.
        let next = match &body {
            Ok(_) => Snapshot { phase: Phase::Starting, ..Snapshot::default() },
            Err(error) => {
                Snapshot { phase: Phase::Error, start_failed: true, error: Some(error.clone()), ..Snapshot::default() }
            }
        };
        update(&mut self.snapshot, next, &mut self.changed);
        let sent = match body {
            Ok(body) => {
                let in_flight = self.send(now, Method::Post, self.endpoints.start_url(), Some(body));
                self.run = Some(Run { in_flight: Some(in_flight), ..Run::new(now, Some(query.to_owned()), None) });
                Some(in_flight.id)
            }
            Err(error) => {
                self.callbacks.push(Action::Failed(error));
                None
            }
        };
        self.flush();
        sent
    }

    /// Polls the run `run_id` names without a start request, as a started run from now on:
    /// phase `polling` and the id in the snapshot at once, a poll sent at once (unless paused).
    /// `query`, when given, is the run's question: submitting it while the run is under way
    /// does nothing. It drops the run under way, unless that run is the same one, which makes
    /// this a no-op. An invalid `run_id` ends in `error` with it and sends nothing. While the
    /// server has answered no session for the run, a 404 means the run is gone: phase `gone`,
    /// no error.
    pub fn resume(&mut self, now: Millis, run_id: Result<RunId, Error>, query: Option<&str>) {
        let current = self.run.as_ref().and_then(|run| run.run_id.as_ref());
        if self.disposed || run_id.as_ref().is_ok_and(|id| current.is_some_and(|current| same_run(current, id))) {
            return;
        }
        self.drop_run();
        match run_id {
            Ok(run_id) => {
                let next = Snapshot { phase: Phase::Polling, run_id: Some(run_id.clone()), ..Snapshot::default() };
                update(&mut self.snapshot, next, &mut self.changed);
                let query = query.filter(|q| !q.trim().is_empty()).map(str::to_owned);
                let mut run = Run { unconfirmed: true, ..Run::new(now, query, Some(run_id)) };
                self.schedule(now, &mut run, now, Phase::Polling);
                self.run = Some(run);
            }
            Err(error) => {
                let next = Snapshot { phase: Phase::Error, error: Some(error.clone()), ..Snapshot::default() };
                update(&mut self.snapshot, next, &mut self.changed);
                self.callbacks.push(Action::Failed(error));
            }
        }
        self.flush();
    }

    /// Feeds the reply to request `id`. Replies to requests that are no longer current
    /// (aborted, of an older run, after reset or dispose) are ignored.
    pub fn handle_reply(&mut self, now: Millis, id: RequestId, reply: Reply<'_, B>) {
        let Some(mut run) = self.run.take() else {
            return;
        };
        if run.in_flight.map(|f| f.id) != Some(id) {
            self.run = Some(run);
            return;
        }
        run.in_flight = None;
        self.run = self.on_reply(now, run, id, reply);
        self.flush();
    }

    /// Handles whatever fell due by `now`: a run past its budget, a request past its
    /// timeout, a poll to send.
    pub fn handle_timeout(&mut self, now: Millis) {
        let Some(mut run) = self.run.take() else {
            return;
        };
        if run.paused_since.is_some() {
            self.run = Some(run);
            return;
        }
        if now.saturating_sub(run.started_at) >= self.timings.max_run {
            let error = self.timeout_error(&run, format!("did not finish within {} ms", self.timings.max_run));
            self.abort(&run);
            self.fail(Phase::TimedOut, error);
        } else if let Some(f) = run.in_flight.filter(|f| now >= f.deadline) {
            self.actions.push_back(Action::Abort(f.id));
            run.in_flight = None;
            self.run = self.on_reply(now, run, f.id, Reply::TimedOut);
        } else {
            if run.in_flight.is_none() && run.next_poll_at.is_some_and(|at| at <= now) {
                self.send_poll(now, &mut run);
            }
            self.run = Some(run);
        }
        self.flush();
    }

    /// The page was shown or hidden. With `pauseWhenHidden`, polling stops while it is
    /// hidden and resumes with an immediate poll when it is shown; time spent paused does
    /// not count towards the run's budgets.
    pub fn set_visible(&mut self, now: Millis, visible: bool) {
        self.visible = visible;
        self.repause(now);
    }

    /// The browser went offline or online. Offline, polling pauses as while hidden (nothing
    /// is sent, no budget runs); online, it resumes at once with a poll.
    pub fn set_online(&mut self, now: Millis, online: bool) {
        self.online = online;
        self.repause(now);
    }

    /// Why polling must pause now, if it must: offline first, since it is what a UI can explain.
    fn pause_reason(&self) -> Option<PauseReason> {
        if !self.online {
            Some(PauseReason::Offline)
        } else if self.timings.pause_when_hidden && !self.visible {
            Some(PauseReason::Hidden)
        } else {
            None
        }
    }

    /// Pauses, updates why, or resumes, after visibility or connectivity changed.
    fn repause(&mut self, now: Millis) {
        let Some(mut run) = self.run.take() else {
            return;
        };
        match (self.pause_reason(), run.paused_since) {
            // Already paused: keep the first `paused_since`, or the time paused so far would count.
            (Some(reason), Some(_)) => update(&mut self.snapshot.paused_by, Some(reason), &mut self.changed),
            (Some(_), None) => {
                if run.in_flight.is_none() && run.run_id.is_some() {
                    self.pause(now, &mut run);
                }
            }
            (None, Some(since)) => {
                let paused = now.saturating_sub(since);
                run.paused_since = None;
                run.started_at = run.started_at.saturating_add(paused);
                run.last_change_at = run.last_change_at.saturating_add(paused);
                run.first_failure_at = run.first_failure_at.map(|at| at.saturating_add(paused));
                let phase = if run.first_failure_at.is_some() { Phase::Backoff } else { Phase::Polling };
                update(&mut self.snapshot.phase, phase, &mut self.changed);
                update(&mut self.snapshot.paused_by, None, &mut self.changed);
                self.send_poll(now, &mut run);
            }
            (None, None) => {}
        }
        self.run = Some(run);
        self.flush();
    }

    /// Takes new options. Where runs are sent and what their start request carries apply to
    /// the next run: the run under way keeps polling the endpoints it started with. The
    /// timings apply to the run under way from now on: the request in flight keeps the
    /// timeout it was sent with, the wait for the next poll is measured again from the answer
    /// it follows (the poll is sent at once when that time has passed), the run's budgets are
    /// checked against the new values from the next deadline (see [`Poller::poll_timeout`]),
    /// and a change of `pauseWhenHidden` pauses or resumes at once. Equal options change
    /// nothing; after [`Poller::dispose`], nothing does.
    pub fn set_options(&mut self, now: Millis, endpoints: Endpoints, template: StartTemplate, timings: Timings) {
        if self.disposed {
            return;
        }
        if self.endpoints != endpoints {
            let started_with = std::mem::replace(&mut self.endpoints, endpoints);
            if let Some(run) = &mut self.run {
                run.endpoints.get_or_insert(started_with);
            }
        }
        self.template = template;
        if self.timings == timings {
            return;
        }
        self.timings = timings;
        self.repause(now);
        if let Some(mut run) = self.run.take() {
            if run.next_poll_at.is_some() {
                let at = run.waiting_since.saturating_add(self.wait(&run));
                run.next_poll_at = Some(at);
                if at <= now {
                    self.send_poll(now, &mut run);
                }
            }
            self.run = Some(run);
        }
        self.flush();
    }

    /// Aborts what is in flight, cancels what is scheduled, and returns to idle.
    pub fn reset(&mut self) {
        if self.disposed {
            return;
        }
        self.drop_run();
        update(&mut self.snapshot, Snapshot::default(), &mut self.changed);
        self.flush();
    }

    /// Stops for good: aborts what is in flight; every later input is ignored.
    pub fn dispose(&mut self) {
        self.drop_run();
        self.disposed = true;
        self.flush();
    }

    /// Whether [`Poller::dispose`] was called.
    pub fn is_disposed(&self) -> bool {
        self.disposed
    }

    /// Whether a run is under way: its start request out, polled, or paused.
    pub fn is_running(&self) -> bool {
        self.run.is_some()
    }

    fn on_reply(&mut self, now: Millis, run: Run<B>, id: RequestId, reply: Reply<'_, B>) -> Option<Run<B>> {
        match run.run_id {
            None => {
                let next = self.on_start_reply(now, run, reply);
                self.callbacks.push(Action::StartSettled(id));
                next
            }
            Some(_) => self.on_poll_reply(now, run, reply),
        }
    }

    fn on_start_reply(&mut self, now: Millis, run: Run<B>, reply: Reply<'_, B>) -> Option<Run<B>> {
        let outcome = match reply {
            Reply::Http { response, .. } => decode_start(response),
            Reply::Network(_) | Reply::TimedOut => {
                Err(StartFailure { error: self.unanswered("start request", reply), retry_token: None })
            }
        };
        match outcome {
            Ok(run_id) => Some(self.begin_polling(now, run, run_id)),
            // The server created the run before failing: poll it rather than start another.
            Err(StartFailure { retry_token: Some(uuid), .. }) => {
                Some(self.begin_polling(now, run, RunId::from_uuid(uuid, None)))
            }
            Err(StartFailure { error, .. }) => {
                update(&mut self.snapshot.start_failed, true, &mut self.changed);
                self.fail(Phase::Error, error);
                None
            }
        }
    }

    fn begin_polling(&mut self, now: Millis, mut run: Run<B>, run_id: RunId) -> Run<B> {
        update(&mut self.snapshot.run_id, Some(run_id.clone()), &mut self.changed);
        run.run_id = Some(run_id);
        run.last_change_at = now;
        self.schedule(now, &mut run, now, Phase::Polling);
        run
    }

    fn on_poll_reply(&mut self, now: Millis, mut run: Run<B>, reply: Reply<'_, B>) -> Option<Run<B>> {
        let (result, retry_after) = match reply {
            Reply::Http { response, .. }
                if response.is_success()
                    && run.last_body.as_ref().is_some_and(|last| last.borrow() == response.body) =>
            {
                // The very answer that was decoded last time: nothing can have changed.
                run.first_failure_at = None;
                self.end_backoff();
                return self.keep_polling(now, run);
            }
            Reply::Http { response, retry_after, unix_now_ms } => {
                let result = decode_poll(response);
                if result.is_ok() {
                    match &mut run.last_body {
                        Some(last) => response.body.clone_into(last),
                        None => run.last_body = Some(response.body.to_owned()),
                    }
                }
                (result, retry_after_ms(retry_after, unix_now_ms))
            }
            Reply::Network(_) | Reply::TimedOut => (Err(self.unanswered("state request", reply)), None),
        };
        match result {
            Ok(result) => self.on_poll_result(now, run, result),
            Err(error) if is_transient(&error) => self.on_transient_failure(now, run, error, retry_after),
            Err(error) if error.status == Some(404) && run.unconfirmed => {
                // A resumed run the server does not know: it is simply gone.
                update(&mut self.snapshot.phase, Phase::Gone, &mut self.changed);
                self.end_backoff();
                None
            }
            Err(error) if error.status == Some(404) => {
                let message = format!("the server no longer knows run {} (HTTP 404)", RunLabel(&run));
                self.fail(Phase::Error, Error { message, ..error });
                None
            }
            Err(error) => {
                self.fail(Phase::Error, error);
                None
            }
        }
    }

    fn on_poll_result(&mut self, now: Millis, mut run: Run<B>, result: PollResult<B::Json>) -> Option<Run<B>> {
        run.first_failure_at = None;
        self.end_backoff();
        let Some(session) = result.session else {
            let error =
                Error::new(ErrorKind::Decode, format!("state response for run {} has no session", RunLabel(&run)));
            self.fail(Phase::Error, error);
            return None;
        };
        if let (Some(uuid), Some(run_id)) = (result.sentry_run_id, &run.run_id) {
            if !run_id.is_uuid() {
                let upgraded = run_id.with_uuid(uuid);
                update(&mut self.snapshot.run_id, Some(upgraded.clone()), &mut self.changed);
                run.run_id = Some(upgraded);
            }
        }
        run.unconfirmed = false;
        if session.updated_at.is_some() && session.updated_at != run.last_updated_at {
            run.last_change_at = now;
            run.last_updated_at.clone_from(&session.updated_at);
        }
        if !session.keep_polling() {
            self.finish(session);
            return None;
        }
        update(&mut self.snapshot.session, Some(session), &mut self.changed);
        self.keep_polling(now, run)
    }

    /// The run is still processing: time it out, or schedule the next poll.
    fn keep_polling(&mut self, now: Millis, mut run: Run<B>) -> Option<Run<B>> {
        let timeout = if now.saturating_sub(run.started_at) >= self.timings.max_run {
            Some(format!("did not finish within {} ms", self.timings.max_run))
        } else if now.saturating_sub(run.last_change_at) >= self.timings.stale_after {
            Some(format!("made no progress (no new updated_at) for {} ms", self.timings.stale_after))
        } else {
            None
        };
        if let Some(what) = timeout {
            let error = self.timeout_error(&run, what);
            self.fail(Phase::TimedOut, error);
            return None;
        }
        run.waiting_since = now;
        let at = now.saturating_add(self.wait(&run));
        self.schedule(now, &mut run, at, Phase::Polling);
        Some(run)
    }

    /// The run is over on the server: completed, failed, or a status newer than this client.
    fn finish(&mut self, session: Session<B::Json>) {
        let phase = if session.status == "error" { Phase::Error } else { Phase::Completed };
        // An unsupported question completes with a final response but no query: no success.
        if session.status == "completed" && session.unsupported_reason.is_none() {
            if let Some(response) = &session.final_response {
                self.callbacks.push(Action::Succeeded(response.clone()));
            }
        }
        update(&mut self.snapshot.session, Some(session), &mut self.changed);
        update(&mut self.snapshot.phase, phase, &mut self.changed);
        self.end_backoff();
    }

    fn on_transient_failure(
        &mut self,
        now: Millis,
        mut run: Run<B>,
        error: Error,
        retry_after: Option<u64>,
    ) -> Option<Run<B>> {
        let first = *run.first_failure_at.get_or_insert(now);
        let failing_for = now.saturating_sub(first);
        if failing_for >= self.timings.max_error_window {
            let message = format!("{}; gave up after {failing_for} ms of failing polls", error.message);
            self.fail(Phase::Error, Error { message, ..error });
            return None;
        }
        update(&mut self.snapshot.last_failure, Some(error), &mut self.changed);
        run.waiting_since = now;
        run.retry_after = retry_after;
        let at = now.saturating_add(self.wait(&run));
        self.schedule(now, &mut run, at, Phase::Backoff);
        Some(run)
    }

    /// How long to wait after an answer before the next poll: `pollIntervalMs`, or while polls
    /// fail, `errorPollIntervalMs` stretched by `Retry-After` and capped by `maxErrorWindowMs`.
    fn wait(&self, run: &Run<B>) -> u64 {
        match run.first_failure_at {
            None => self.timings.poll_interval,
            Some(_) => {
                let t = &self.timings;
                run.retry_after.unwrap_or(0).max(t.error_poll_interval).min(t.max_error_window)
            }
        }
    }

    /// Polls at `at` (at once when it is due), or pauses when the page is hidden or offline.
    fn schedule(&mut self, now: Millis, run: &mut Run<B>, at: Millis, phase: Phase) {
        if self.pause_reason().is_some() {
            self.pause(now, run);
            return;
        }
        update(&mut self.snapshot.phase, phase, &mut self.changed);
        if at <= now {
            self.send_poll(now, run);
        } else {
            run.next_poll_at = Some(at);
        }
    }

    fn pause(&mut self, now: Millis, run: &mut Run<B>) {
        run.next_poll_at = None;
        run.paused_since = Some(now);
        let reason = self.pause_reason();
        update(&mut self.snapshot.phase, Phase::Paused, &mut self.changed);
        update(&mut self.snapshot.paused_by, reason, &mut self.changed);
    }

    /// No transient failure is being retried any more.
    fn end_backoff(&mut self) {
        update(&mut self.snapshot.last_failure, None, &mut self.changed);
    }

    /// The error for a request that got no answer.
    fn unanswered(&self, what: &str, reply: Reply<'_, B>) -> Error {
        match reply {
            Reply::Network(message) => Error::new(ErrorKind::Network, format!("{what} failed: {message}")),
            _ => Error::new(
                ErrorKind::RequestTimeout,
                format!("{what} got no answer within {} ms", self.timings.request_timeout),
            ),
        }
    }

    fn send_poll(&mut self, now: Millis, run: &mut Run<B>) {
        run.next_poll_at = None;
        if let Some(run_id) = &run.run_id {
            let url = run.endpoints.as_ref().unwrap_or(&self.endpoints).state_url(run_id);
            run.in_flight = Some(self.send(now, Method::Get, url, None));
        }
    }

    fn send(&mut self, now: Millis, method: Method, url: String, body: Option<String>) -> InFlight {
        self.next_request += 1;
        let id = RequestId(self.next_request);
        self.actions.push_back(Action::Send(Request { id, method, url, body }));
        InFlight { id, deadline: now.saturating_add(self.timings.request_timeout) }
    }

    fn timeout_error(&self, run: &Run<B>, what: String) -> Error {
        Error::new(ErrorKind::Timeout, format!("run {} {what}", RunLabel(run)))
    }

    /// Ends the run with `error`, reported once through `onError`.
    fn fail(&mut self, phase: Phase, error: Error) {
        update(&mut self.snapshot.phase, phase, &mut self.changed);
        self.end_backoff();
        update(&mut self.snapshot.error, Some(error.clone()), &mut self.changed);
        self.callbacks.push(Action::Failed(error));
    }

    /// Aborts the run's request, settling a pending start.
    fn abort(&mut self, run: &Run<B>) {
        if let Some(f) = run.in_flight {
            self.actions.push_back(Action::Abort(f.id));
            if run.run_id.is_none() {
                self.callbacks.push(Action::StartSettled(f.id));
            }
        }
    }

    fn drop_run(&mut self) {
        if let Some(run) = self.run.take() {
            self.abort(&run);
        }
    }

    /// Publishes a changed snapshot, then queues the callbacks the change brought.
    fn flush(&mut self) {
        if self.changed {
            self.changed = false;
            self.version += 1;
            self.actions.push_back(Action::Publish);
        }
        self.actions.extend(self.callbacks.drain(..));
    }
}

/// Whether two ids name the same run: they share the UUID or the numeric id.
fn same_run(a: &RunId, b: &RunId) -> bool {
    (a.sentry_run_id().is_some() && a.sentry_run_id() == b.sentry_run_id())
        || (a.numeric_run_id().is_some() && a.numeric_run_id() == b.numeric_run_id())
}

/// Names a run in messages by the id it is polled by.
struct RunLabel<'a, B: Body + ?Sized>(&'a Run<B>);

impl<B: Body + ?Sized> std::fmt::Display for RunLabel<'_, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0.run_id {
            Some(id) => id.fmt(f),
            None => f.write_str("(not started)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::StartRequestInput;

    fn poller() -> Poller<str> {
        let endpoints = Endpoints::new("acme", None).unwrap();
        let input = StartRequestInput { project_ids: vec![1.0], strategy: "Traces".into(), ..Default::default() };
        Poller::new(endpoints, StartTemplate::new(input).unwrap(), Timings::default())
    }

    fn drain(poller: &mut Poller<str>) -> Vec<Action<serde_json::Value>> {
        std::iter::from_fn(|| poller.poll_action()).collect()
    }

    /// Found by the `poller` fuzz target: a second blank question published an unchanged snapshot.
    #[test]
    fn repeated_blank_question_reports_again_without_publishing() {
        let mut poller = poller();
        assert_eq!(poller.submit(0, ""), None);
        let failed = poller.snapshot().clone();
        assert_eq!((failed.phase, failed.start_failed), (Phase::Error, true));
        assert!(matches!(drain(&mut poller).as_slice(), [Action::Publish, Action::Failed(_)]));
        assert_eq!(poller.submit(1, "   "), None);
        assert_eq!(poller.snapshot(), &failed);
        assert!(matches!(drain(&mut poller).as_slice(), [Action::Failed(e)] if e.kind == ErrorKind::InvalidConfig));
        assert_eq!(poller.version(), 1);
    }

    /// Found by the `poller` fuzz target: `reset` after `dispose` returned the snapshot to idle.
    #[test]
    fn reset_after_dispose_is_ignored() {
        let mut poller = poller();
        assert!(poller.submit(0, "slow spans").is_some());
        poller.dispose();
        assert!(matches!(
            drain(&mut poller).as_slice(),
            [Action::Send(_), Action::Publish, Action::Abort(_), Action::StartSettled(_)]
        ));
        let disposed = poller.snapshot().clone();
        poller.reset();
        assert_eq!(poller.snapshot(), &disposed);
        assert_eq!(drain(&mut poller), vec![]);
    }
}
