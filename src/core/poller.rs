//! The polling lifecycle as a sans-IO state machine.
//!
//! Inputs (submit, resume, replies, timer expiry, visibility, connectivity, reset, dispose)
//! arrive with the current time of a monotonic clock in milliseconds; the machine answers with
//! [`Command`]s for the shell (send, abort) drained by [`Poller::poll_command`], [`Event`]s for
//! the application (publish, callbacks) drained by [`Poller::poll_event`], and one deadline,
//! [`Poller::poll_timeout`], at which [`Poller::handle_timeout`] is due. It does no I/O and
//! keeps no clock of its own.

use super::body::Body;
use super::config::{Endpoints, StartTemplate, Timings};
use super::error::{Error, ErrorKind};
use super::response::{HttpResponse, PollResult, StartFailure, decode_poll, decode_start, is_transient};
use super::retry_after::retry_after_ms;
use super::run_id::RunId;
use super::session::Session;
use super::snapshot::{PauseReason, Phase, Snapshot};
use super::text::Part;
use crate::text;
use std::borrow::Borrow;

/// How a run that outlived `maxRunMs` is said to have timed out.
const DID_NOT_FINISH: &str = "did not finish within";

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

    /// The id [`get`](Self::get) gave, as a shell passes it back.
    pub const fn new(id: u64) -> Self {
        Self(id)
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

/// I/O the shell must perform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Send this request and feed its reply to [`Poller::handle_reply`].
    Send(Request),
    /// Abort this request; its reply, if any, will be ignored.
    Abort(RequestId),
}

/// What the application is told. `J` is the platform's JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<J> {
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

/// Where the poller stands. A run goes from `Starting` (a resumed one from `Polling`) to
/// `Ended`, unless a new run, a reset or dispose drops it.
enum State<B: Body + ?Sized> {
    /// No run: nothing asked yet, or reset.
    Idle,
    /// The start request is out: the run has no id yet.
    Starting { run: Run, start: InFlight },
    /// The run has an id and is polled.
    Polling { run: Polled<B>, next: Next },
    /// The run is over, as the snapshot's phase tells.
    Ended(End),
    /// Every input is ignored, and the snapshot stays as it was.
    Disposed,
}

/// What a polled run waits for: one thing at a time.
#[derive(Clone, Copy)]
enum Next {
    /// The reply to this request.
    Reply(InFlight),
    /// The poll due `at`, after a wait that began with the answer at `since`.
    Poll { since: Millis, at: Millis },
    /// Paused since then, until the page is shown and online again.
    Resume(Millis),
}

/// How a run ended.
#[derive(Clone, Copy)]
enum End {
    /// The server finished it without an error.
    Completed,
    /// It failed, on the server or in the client.
    Error,
    /// It went stale or outlived its time budget.
    TimedOut,
    /// A resumed run the server does not know.
    Gone,
}

/// What a run keeps from its start to its end.
struct Run {
    /// The question; `None` for a run resumed without one.
    query: Option<String>,
    /// The endpoints of the options the run started with, once the poller's are others.
    endpoints: Option<Endpoints>,
    started_at: Millis,
}

/// A run with an id, and what its polls have shown so far.
struct Polled<B: Body + ?Sized> {
    run: Run,
    id: RunId,
    /// Set while polls fail transiently.
    backoff: Option<Backoff>,
    last_updated_at: Option<String>,
    last_change_at: Millis,
    /// The last state body decoded, so that an identical answer is not decoded again.
    last_body: Option<B::Owned>,
    /// A resumed run the server has not yet answered with a session: a 404 means it is gone.
    unconfirmed: bool,
}

/// Polls that fail transiently.
#[derive(Clone, Copy)]
struct Backoff {
    /// When the first of them failed.
    since: Millis,
    /// The `Retry-After` of the last one, in milliseconds.
    retry_after: Option<u64>,
}

impl<B: Body + ?Sized> Polled<B> {
    fn new(now: Millis, run: Run, id: RunId) -> Self {
        Self { run, id, backoff: None, last_updated_at: None, last_change_at: now, last_body: None, unconfirmed: false }
    }
}

impl<B: Body + ?Sized> State<B> {
    /// The run under way.
    fn run(&self) -> Option<&Run> {
        match self {
            Self::Starting { run, .. } => Some(run),
            Self::Polling { run, .. } => Some(&run.run),
            _ => None,
        }
    }

    /// The run under way, to change.
    fn run_mut(&mut self) -> Option<&mut Run> {
        match self {
            Self::Starting { run, .. } => Some(run),
            Self::Polling { run, .. } => Some(&mut run.run),
            _ => None,
        }
    }

    /// The id of the run under way, once it has one.
    fn run_id(&self) -> Option<&RunId> {
        match self {
            Self::Polling { run, .. } => Some(&run.id),
            _ => None,
        }
    }

    /// The request whose reply is awaited.
    fn in_flight(&self) -> Option<InFlight> {
        match self {
            Self::Starting { start, .. } => Some(*start),
            Self::Polling { next: Next::Reply(in_flight), .. } => Some(*in_flight),
            _ => None,
        }
    }

    /// The phase the snapshot shows; `None` once disposed, which leaves it as it was.
    fn phase(&self) -> Option<Phase> {
        Some(match self {
            Self::Idle => Phase::Idle,
            Self::Starting { .. } => Phase::Starting,
            Self::Polling { next: Next::Resume(_), .. } => Phase::Paused,
            Self::Polling { run, .. } if run.backoff.is_some() => Phase::Backoff,
            Self::Polling { .. } => Phase::Polling,
            Self::Ended(End::Completed) => Phase::Completed,
            Self::Ended(End::Error) => Phase::Error,
            Self::Ended(End::TimedOut) => Phase::TimedOut,
            Self::Ended(End::Gone) => Phase::Gone,
            Self::Disposed => return None,
        })
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
    state: State<B>,
    visible: bool,
    online: bool,
    next_request: u64,
    /// A handful at most between two drains: a `Vec` costs less WebAssembly than a `VecDeque`.
    commands: Vec<Command>,
    events: Vec<Event<B::Json>>,
    /// The callbacks of the input under way, queued after its `Publish`.
    callbacks: Vec<Event<B::Json>>,
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
            state: State::Idle,
            visible: true,
            online: true,
            next_request: 0,
            commands: Vec::new(),
            events: Vec::new(),
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

    /// The next request to send or abort, in order. Each input queues its commands before
    /// its events.
    #[must_use]
    pub fn poll_command(&mut self) -> Option<Command> {
        (!self.commands.is_empty()).then(|| self.commands.remove(0))
    }

    /// The next thing to tell the application, in order: a changed snapshot, then the
    /// callbacks the change brought.
    #[must_use]
    pub fn poll_event(&mut self) -> Option<Event<B::Json>> {
        (!self.events.is_empty()).then(|| self.events.remove(0))
    }

    /// When [`Poller::handle_timeout`] is next due, if ever.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Millis> {
        let (run, next) = match &self.state {
            State::Starting { run, start } => (run, start.deadline),
            State::Polling { run, next: Next::Reply(in_flight) } => (&run.run, in_flight.deadline),
            State::Polling { run, next: Next::Poll { at, .. } } => (&run.run, *at),
            _ => return None,
        };
        Some(next.min(run.started_at.saturating_add(self.timings.max_run)))
    }

    /// Asks the agent `query`. Returns the id of the start request, whose settling
    /// [`Event::StartSettled`] reports, or `None` when nothing was sent: the query is the
    /// one of the run under way, it is blank, or the poller is disposed.
    pub fn submit(&mut self, now: Millis, query: &str) -> Option<RequestId> {
        if self.is_disposed() || self.state.run().is_some_and(|run| run.query.as_deref() == Some(query)) {
            return None;
        }
        let mut sent = None;
        self.replace_run(|this| {
            if query.trim().is_empty() {
                let error = Error::new(ErrorKind::InvalidConfig, "the question is empty: there is nothing to ask");
                this.restart(None, true, Some(error.clone()));
                this.callbacks.push(Event::Failed(error));
                return State::Ended(End::Error);
            }
            this.restart(None, false, None);
            let body = this.template.body(query);
            let start = this.send(now, Method::Post, this.endpoints.start_url(), Some(body));
            sent = Some(start.id);
            State::Starting { run: Run { query: Some(query.to_owned()), endpoints: None, started_at: now }, start }
        });
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
        let current = self.state.run_id();
        if self.is_disposed() || run_id.as_ref().is_ok_and(|id| current.is_some_and(|current| same_run(current, id))) {
            return;
        }
        self.replace_run(|this| match run_id {
            Ok(run_id) => {
                this.restart(Some(run_id.clone()), false, None);
                let query = query.filter(|q| !q.trim().is_empty()).map(str::to_owned);
                let run = Run { query, endpoints: None, started_at: now };
                this.schedule(now, Polled { unconfirmed: true, ..Polled::new(now, run, run_id) }, 0)
            }
            Err(error) => {
                this.restart(None, false, Some(error.clone()));
                this.callbacks.push(Event::Failed(error));
                State::Ended(End::Error)
            }
        });
        self.flush();
    }

    /// Feeds the reply to request `id`. Replies to requests that are no longer current
    /// (aborted, of an older run, after reset or dispose) are ignored.
    pub fn handle_reply(&mut self, now: Millis, id: RequestId, reply: Reply<'_, B>) {
        if self.state.in_flight().map(|f| f.id) != Some(id) {
            return;
        }
        self.transition(|this, state| this.on_reply(now, state, id, reply));
        self.flush();
    }

    /// Handles whatever fell due by `now`: a run past its budget, a request past its
    /// timeout, a poll to send.
    pub fn handle_timeout(&mut self, now: Millis) {
        self.transition(|this, state| this.on_timeout(now, state));
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

    /// Pauses, or resumes, after visibility or connectivity changed.
    fn repause(&mut self, now: Millis) {
        self.transition(|this, state| this.repaused(now, state));
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
        if self.is_disposed() {
            return;
        }
        if self.endpoints != endpoints {
            let started_with = std::mem::replace(&mut self.endpoints, endpoints);
            if let Some(run) = self.state.run_mut() {
                run.endpoints.get_or_insert(started_with);
            }
        }
        self.template = template;
        if self.timings == timings {
            return;
        }
        self.timings = timings;
        self.transition(|this, state| match this.repaused(now, state) {
            State::Polling { run, next: Next::Poll { since, .. } } => {
                let at = since.saturating_add(this.wait(&run));
                let next = this.poll_at(now, &run, since, at);
                State::Polling { run, next }
            }
            state => state,
        });
        self.flush();
    }

    /// Aborts what is in flight, cancels what is scheduled, and returns to idle.
    pub fn reset(&mut self) {
        if self.is_disposed() {
            return;
        }
        self.replace_run(|this| {
            this.restart(None, false, None);
            State::Idle
        });
        self.flush();
    }

    /// Stops for good: aborts what is in flight; every later input is ignored.
    pub fn dispose(&mut self) {
        self.replace_run(|_| State::Disposed);
        self.flush();
    }

    /// Whether [`Poller::dispose`] was called.
    pub fn is_disposed(&self) -> bool {
        matches!(self.state, State::Disposed)
    }

    /// Whether a run is under way: its start request out, polled, or paused.
    pub fn is_running(&self) -> bool {
        self.state.run().is_some()
    }

    /// Moves to the state `step` makes of the current one. The state is taken out here only,
    /// and what `step` returns is always written back: no path can lose a run.
    fn transition(&mut self, step: impl FnOnce(&mut Self, State<B>) -> State<B>) {
        let state = std::mem::replace(&mut self.state, State::Idle);
        self.state = step(self, state);
    }

    /// Drops the run under way, aborting its request, for the state `next` makes.
    fn replace_run(&mut self, next: impl FnOnce(&mut Self) -> State<B>) {
        self.transition(|this, state| {
            this.abort(&state);
            next(this)
        });
    }

    /// Aborts the run's request, settling a pending start.
    fn abort(&mut self, state: &State<B>) {
        if let Some(in_flight) = state.in_flight() {
            self.commands.push(Command::Abort(in_flight.id));
            if let State::Starting { .. } = state {
                self.callbacks.push(Event::StartSettled(in_flight.id));
            }
        }
    }

    /// Shows a new run (with its id, when resumed), or a failure before any: nothing else of
    /// the last run stays. The phase follows the state, in [`Poller::flush`].
    fn restart(&mut self, run_id: Option<RunId>, start_failed: bool, error: Option<Error>) {
        let Snapshot { phase, paused_by, .. } = self.snapshot;
        let next = Snapshot { phase, paused_by, run_id, start_failed, error, ..Snapshot::default() };
        // One update of the whole snapshot, so that failing the same way again changes nothing.
        update(&mut self.snapshot, next, &mut self.changed);
    }

    fn on_reply(&mut self, now: Millis, state: State<B>, id: RequestId, reply: Reply<'_, B>) -> State<B> {
        match state {
            State::Starting { run, .. } => {
                let next = self.on_start_reply(now, run, reply);
                self.callbacks.push(Event::StartSettled(id));
                next
            }
            State::Polling { run, .. } => self.on_poll_reply(now, run, reply),
            state => state,
        }
    }

    fn on_timeout(&mut self, now: Millis, state: State<B>) -> State<B> {
        let started_at = match &state {
            State::Starting { run, .. } => run.started_at,
            State::Polling { run, next: Next::Reply(_) | Next::Poll { .. } } => run.run.started_at,
            _ => return state,
        };
        if now.saturating_sub(started_at) >= self.timings.max_run {
            let error = self.timeout_error(state.run_id(), DID_NOT_FINISH, self.timings.max_run);
            self.abort(&state);
            return self.fail(End::TimedOut, error);
        }
        if let Some(in_flight) = state.in_flight().filter(|f| now >= f.deadline) {
            self.commands.push(Command::Abort(in_flight.id));
            return self.on_reply(now, state, in_flight.id, Reply::TimedOut);
        }
        match state {
            State::Polling { run, next: Next::Poll { at, .. } } if at <= now => {
                let next = Next::Reply(self.send_poll(now, &run));
                State::Polling { run, next }
            }
            state => state,
        }
    }

    /// Pauses a run waiting for its next poll, or resumes a paused one, as the page allows.
    fn repaused(&mut self, now: Millis, state: State<B>) -> State<B> {
        match (self.pause_reason(), state) {
            (Some(_), State::Polling { run, next: Next::Poll { .. } }) => {
                State::Polling { run, next: Next::Resume(now) }
            }
            (None, State::Polling { mut run, next: Next::Resume(since) }) => {
                // Time paused does not count towards the run's budgets.
                let paused = now.saturating_sub(since);
                run.run.started_at = run.run.started_at.saturating_add(paused);
                run.last_change_at = run.last_change_at.saturating_add(paused);
                if let Some(backoff) = &mut run.backoff {
                    backoff.since = backoff.since.saturating_add(paused);
                }
                let next = Next::Reply(self.send_poll(now, &run));
                State::Polling { run, next }
            }
            (_, state) => state,
        }
    }

    fn on_start_reply(&mut self, now: Millis, run: Run, reply: Reply<'_, B>) -> State<B> {
        let outcome = match reply {
            Reply::Http { response, .. } => decode_start(response),
            Reply::Network(_) | Reply::TimedOut => {
                Err(StartFailure { error: self.unanswered("start request", reply), retry_token: None })
            }
        };
        match outcome {
            Ok(run_id) => self.begin_polling(now, run, run_id),
            // The server created the run before failing: poll it rather than start another.
            Err(StartFailure { retry_token: Some(uuid), .. }) => {
                self.begin_polling(now, run, RunId::from_uuid(uuid, None))
            }
            Err(StartFailure { error, .. }) => {
                update(&mut self.snapshot.start_failed, true, &mut self.changed);
                self.fail(End::Error, error)
            }
        }
    }

    fn begin_polling(&mut self, now: Millis, run: Run, run_id: RunId) -> State<B> {
        update(&mut self.snapshot.run_id, Some(run_id.clone()), &mut self.changed);
        self.schedule(now, Polled::new(now, run, run_id), 0)
    }

    fn on_poll_reply(&mut self, now: Millis, mut run: Polled<B>, reply: Reply<'_, B>) -> State<B> {
        let (result, retry_after) = match reply {
            Reply::Http { response, .. }
                if response.is_success()
                    && run.last_body.as_ref().is_some_and(|last| last.borrow() == response.body) =>
            {
                // The very answer that was decoded last time: nothing can have changed.
                run.backoff = None;
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
                self.end_backoff();
                State::Ended(End::Gone)
            }
            Err(error) if error.status == Some(404) => {
                let message = text!["the server no longer knows run ", run.id, " (HTTP 404)"];
                self.fail(End::Error, Error { message, ..error })
            }
            Err(error) => self.fail(End::Error, error),
        }
    }

    fn on_poll_result(&mut self, now: Millis, mut run: Polled<B>, result: PollResult<B::Json>) -> State<B> {
        run.backoff = None;
        self.end_backoff();
        let Some(session) = result.session else {
            let error = Error::new(ErrorKind::Decode, text!["state response for run ", run.id, " has no session"]);
            return self.fail(End::Error, error);
        };
        if let Some(uuid) = result.sentry_run_id.filter(|_| !run.id.is_uuid()) {
            let upgraded = run.id.with_uuid(uuid);
            update(&mut self.snapshot.run_id, Some(upgraded.clone()), &mut self.changed);
            run.id = upgraded;
        }
        run.unconfirmed = false;
        if session.updated_at.is_some() && session.updated_at != run.last_updated_at {
            run.last_change_at = now;
            run.last_updated_at.clone_from(&session.updated_at);
        }
        if !session.keep_polling() {
            return self.finish(session);
        }
        update(&mut self.snapshot.session, Some(session), &mut self.changed);
        self.keep_polling(now, run)
    }

    /// The run is still processing: time it out, or schedule the next poll.
    fn keep_polling(&mut self, now: Millis, run: Polled<B>) -> State<B> {
        let timeout = if now.saturating_sub(run.run.started_at) >= self.timings.max_run {
            Some((DID_NOT_FINISH, self.timings.max_run))
        } else if now.saturating_sub(run.last_change_at) >= self.timings.stale_after {
            Some(("made no progress (no new updated_at) for", self.timings.stale_after))
        } else {
            None
        };
        if let Some((what, ms)) = timeout {
            let error = self.timeout_error(Some(&run.id), what, ms);
            return self.fail(End::TimedOut, error);
        }
        let wait = self.wait(&run);
        self.schedule(now, run, wait)
    }

    /// The run is over on the server: completed, failed, or a status newer than this client.
    fn finish(&mut self, session: Session<B::Json>) -> State<B> {
        let end = if session.status == "error" { End::Error } else { End::Completed };
        // An unsupported question completes with a final response but no query: no success.
        if session.status == "completed" && session.unsupported_reason.is_none() {
            if let Some(response) = &session.final_response {
                self.callbacks.push(Event::Succeeded(response.clone()));
            }
        }
        update(&mut self.snapshot.session, Some(session), &mut self.changed);
        self.end_backoff();
        State::Ended(end)
    }

    fn on_transient_failure(
        &mut self,
        now: Millis,
        mut run: Polled<B>,
        error: Error,
        retry_after: Option<u64>,
    ) -> State<B> {
        let since = run.backoff.map_or(now, |backoff| backoff.since);
        let failing_for = now.saturating_sub(since);
        if failing_for >= self.timings.max_error_window {
            let message = text![error.message, "; gave up after ", failing_for, " ms of failing polls"];
            return self.fail(End::Error, Error { message, ..error });
        }
        update(&mut self.snapshot.last_failure, Some(error), &mut self.changed);
        run.backoff = Some(Backoff { since, retry_after });
        let wait = self.wait(&run);
        self.schedule(now, run, wait)
    }

    /// How long to wait after an answer before the next poll: `pollIntervalMs`, or while polls
    /// fail, `errorPollIntervalMs` stretched by `Retry-After` and capped by `maxErrorWindowMs`.
    fn wait(&self, run: &Polled<B>) -> u64 {
        match run.backoff {
            None => self.timings.poll_interval,
            Some(Backoff { retry_after, .. }) => {
                let t = &self.timings;
                retry_after.unwrap_or(0).max(t.error_poll_interval).min(t.max_error_window)
            }
        }
    }

    /// Polls `wait` from now (at once when it is 0), or pauses when the page is hidden or offline.
    fn schedule(&mut self, now: Millis, run: Polled<B>, wait: u64) -> State<B> {
        let next = if self.pause_reason().is_some() {
            Next::Resume(now)
        } else {
            self.poll_at(now, &run, now, now.saturating_add(wait))
        };
        State::Polling { run, next }
    }

    /// Waits until `at` after an answer at `since`, or polls at once when `at` has come.
    fn poll_at(&mut self, now: Millis, run: &Polled<B>, since: Millis, at: Millis) -> Next {
        if at <= now { Next::Reply(self.send_poll(now, run)) } else { Next::Poll { since, at } }
    }

    /// No transient failure is being retried any more.
    fn end_backoff(&mut self) {
        update(&mut self.snapshot.last_failure, None, &mut self.changed);
    }

    /// The error for a request that got no answer.
    fn unanswered(&self, what: &str, reply: Reply<'_, B>) -> Error {
        match reply {
            Reply::Network(message) => Error::new(ErrorKind::Network, text![what, " failed: ", message]),
            _ => Error::new(
                ErrorKind::RequestTimeout,
                text![what, " got no answer within ", self.timings.request_timeout, " ms"],
            ),
        }
    }

    fn send_poll(&mut self, now: Millis, run: &Polled<B>) -> InFlight {
        let url = run.run.endpoints.as_ref().unwrap_or(&self.endpoints).state_url(&run.id);
        self.send(now, Method::Get, url, None)
    }

    fn send(&mut self, now: Millis, method: Method, url: String, body: Option<String>) -> InFlight {
        self.next_request += 1;
        let id = RequestId(self.next_request);
        self.commands.push(Command::Send(Request { id, method, url, body }));
        InFlight { id, deadline: now.saturating_add(self.timings.request_timeout) }
    }

    /// The error of a run that timed out after `ms` milliseconds; `run_id` is `None` before the
    /// run has one.
    fn timeout_error(&self, run_id: Option<&RunId>, what: &str, ms: u64) -> Error {
        Error::new(ErrorKind::Timeout, text!["run ", RunLabel(run_id), " ", what, " ", ms, " ms"])
    }

    /// Ends the run with `error`, reported once through `onError`.
    fn fail(&mut self, end: End, error: Error) -> State<B> {
        self.end_backoff();
        update(&mut self.snapshot.error, Some(error.clone()), &mut self.changed);
        self.callbacks.push(Event::Failed(error));
        State::Ended(end)
    }

    /// Shows the phase the state is in, publishes a changed snapshot, then queues the
    /// callbacks the change brought.
    fn flush(&mut self) {
        if let Some(phase) = self.state.phase() {
            let paused_by = self.pause_reason().filter(|_| phase == Phase::Paused);
            update(&mut self.snapshot.phase, phase, &mut self.changed);
            update(&mut self.snapshot.paused_by, paused_by, &mut self.changed);
        }
        if self.changed {
            self.changed = false;
            self.version += 1;
            self.events.push(Event::Publish);
        }
        self.events.append(&mut self.callbacks);
    }
}

/// Whether two ids name the same run: they share the UUID or the numeric id.
fn same_run(a: &RunId, b: &RunId) -> bool {
    (a.sentry_run_id().is_some() && a.sentry_run_id() == b.sentry_run_id())
        || (a.numeric_run_id().is_some() && a.numeric_run_id() == b.numeric_run_id())
}

/// Names a run in messages by the id it is polled by.
struct RunLabel<'a>(Option<&'a RunId>);

impl Part for RunLabel<'_> {
    fn put(&self, out: &mut String) {
        match self.0 {
            Some(id) => id.put(out),
            None => out.push_str("(not started)"),
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

    fn drain(poller: &mut Poller<str>) -> (Vec<Command>, Vec<Event<serde_json::Value>>) {
        (std::iter::from_fn(|| poller.poll_command()).collect(), std::iter::from_fn(|| poller.poll_event()).collect())
    }

    /// Found by the `poller` fuzz target: a second blank question published an unchanged snapshot.
    #[test]
    fn repeated_blank_question_reports_again_without_publishing() {
        let mut poller = poller();
        assert_eq!(poller.submit(0, ""), None);
        let failed = poller.snapshot().clone();
        assert_eq!((failed.phase, failed.start_failed), (Phase::Error, true));
        let (commands, events) = drain(&mut poller);
        assert!(commands.is_empty());
        assert!(matches!(events.as_slice(), [Event::Publish, Event::Failed(_)]));
        assert_eq!(poller.submit(1, "   "), None);
        assert_eq!(poller.snapshot(), &failed);
        let (commands, events) = drain(&mut poller);
        assert!(commands.is_empty());
        assert!(matches!(events.as_slice(), [Event::Failed(e)] if e.kind == ErrorKind::InvalidConfig));
        assert_eq!(poller.version(), 1);
    }

    /// Found by the `poller` fuzz target: `reset` after `dispose` returned the snapshot to idle.
    #[test]
    fn reset_after_dispose_is_ignored() {
        let mut poller = poller();
        assert!(poller.submit(0, "slow spans").is_some());
        poller.dispose();
        let (commands, events) = drain(&mut poller);
        assert!(matches!(commands.as_slice(), [Command::Send(_), Command::Abort(_)]));
        assert!(matches!(events.as_slice(), [Event::Publish, Event::StartSettled(_)]));
        let disposed = poller.snapshot().clone();
        poller.reset();
        assert_eq!(poller.snapshot(), &disposed);
        assert_eq!(drain(&mut poller), (vec![], vec![]));
    }
}
