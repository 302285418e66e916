//! `AskSeerPoller`: the driver that performs what the core's [`Poller`] asks for.
//!
//! It holds no decisions: it sends requests, aborts them, arms the one timer the core wants,
//! forwards visibility and connectivity changes, and tells listeners and callbacks what the
//! core reports.

use super::convert::{js_error, to_frozen, to_js};
use super::glue;
use super::json::JsJson;
use super::transport::{Answer, JsBody, Settled, Transport, client_config};
use crate::core::{
    Command, Endpoints, Error, ErrorKind, Event, Millis, ON_ERROR, ON_SUCCESS, Poller, Reply, Request, RequestId,
    RunId, StartRequestInput, StartTemplate, Timings, TimingsInput,
};
use crate::text;
use gloo_timers::callback::Timeout;
use js_sys::{Array, Function, Promise, Reflect, Set};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

fn now() -> Millis {
    glue::monotonic_now().max(0.0) as Millis
}

/// Polls one Ask Seer run at a time and holds its state for a UI to render.
#[wasm_bindgen]
pub struct AskSeerPoller {
    driver: Rc<Driver>,
}

#[derive(Clone, Default)]
struct Callbacks {
    on_success: Option<Function>,
    on_error: Option<Function>,
}

/// Nothing here panics on a re-entrant call from JavaScript (a listener, callback, `fetch` or
/// getter calling back into the poller): the fields other than `core` are `Cell`s, taken and
/// put back around code that cannot call back, and `core` is only tried (see [`Driver::core`]).
struct Driver {
    core: RefCell<Poller<JsBody>>,
    /// The options last taken, with their JSON text: what `setOptions` compares with.
    options: Cell<JsValue>,
    /// Always `Some`: an `Option` only to be taken out of its `Cell`.
    transport: Cell<Option<Rc<Transport>>>,
    callbacks: Cell<Callbacks>,
    listeners: Set,
    /// Takes the page's visibility and connectivity to the core.
    _page: Closure<dyn FnMut(bool, bool)>,
    /// From `glue::page_watch`: follows the page while a run or a listener needs it.
    watch: Function,
    /// `deliver(id, settled)`: takes what a request settles with to the core. JavaScript owns
    /// it, so that an answer arriving after the poller is freed finds nobody and is dropped.
    deliver: Function,
    snapshot: Cell<Option<(u64, JsValue)>>,
    in_flight: Cell<Vec<(RequestId, AbortController)>>,
    timer: Cell<Option<(Millis, Timeout)>>,
    settles: Cell<Vec<(RequestId, Function)>>,
}

/// Everything a `PollerConfig` sets, read and checked.
struct Options {
    endpoints: Endpoints,
    template: StartTemplate,
    timings: Timings,
    transport: Transport,
    callbacks: Callbacks,
}

impl Options {
    /// Reads `config`.
    fn read(config: &JsValue) -> Result<Self, Error> {
        let (endpoints, transport) = client_config(config)?;
        let fields = JsJson(config.clone());
        let template = StartTemplate::new(StartRequestInput::read(&fields, "config")?)?;
        let timings = Timings::new(&TimingsInput::read(&fields)?)?;
        let callbacks =
            Callbacks { on_success: function(config, ON_SUCCESS.name)?, on_error: function(config, ON_ERROR.name)? };
        Ok(Self { endpoints, template, timings, transport, callbacks })
    }
}

fn function(config: &JsValue, name: &str) -> Result<Option<Function>, Error> {
    let value = Reflect::get(config, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::new(ErrorKind::InvalidConfig, text!["config.", name, " must be a function"]))
}

#[wasm_bindgen]
impl AskSeerPoller {
    /// Checks `config` and makes an idle poller, attaching nothing; throws an `AskSeerError`
    /// of kind `invalid_config` when something in it cannot work.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PollerConfig")] config: JsValue,
    ) -> Result<AskSeerPoller, JsValue> {
        Ok(Self::create(&config)?)
    }

    fn create(config: &JsValue) -> Result<AskSeerPoller, Error> {
        let config = glue::merge_options(&JsValue::UNDEFINED, config);
        let Options { endpoints, template, timings, transport, callbacks } = Options::read(&config)?;
        let listeners = Set::new(&JsValue::UNDEFINED);
        let driver = Rc::new_cyclic(|weak: &Weak<Driver>| {
            let page_weak = weak.clone();
            let page = Closure::new(move |visible, online| {
                if let Some(driver) = page_weak.upgrade() {
                    driver.core(|core| {
                        core.set_visible(now(), visible);
                        core.set_online(now(), online);
                    });
                    Driver::pump(&driver);
                }
            });
            let weak = weak.clone();
            let deliver = Closure::<dyn FnMut(f64, JsValue)>::new(move |id: f64, settled| {
                if let Some(driver) = weak.upgrade() {
                    Driver::deliver(&driver, RequestId::new(id as u64), Settled(settled).answer());
                }
            });
            Driver {
                deliver: deliver.into_js_value().unchecked_into(),
                core: RefCell::new(Poller::new(endpoints, template, timings)),
                options: Cell::new(config),
                transport: Cell::new(Some(Rc::new(transport))),
                callbacks: Cell::new(callbacks),
                watch: glue::page_watch(&listeners, page.as_ref().unchecked_ref()),
                listeners,
                _page: page,
                snapshot: Cell::new(None),
                in_flight: Cell::new(Vec::new()),
                timer: Cell::new(None),
                settles: Cell::new(Vec::new()),
            }
        });
        Ok(AskSeerPoller { driver })
    }

    /// Changes the fields given (`undefined`: the default). `headers`, `fetch`, the timings,
    /// `pauseWhenHidden` and the callbacks apply to the run under way from its next request
    /// or wait; the other fields from the next run. Throws `invalid_config`, changing nothing.
    #[wasm_bindgen(js_name = setOptions, unchecked_return_type = "undefined")]
    pub fn set_options(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Partial<PollerConfig>")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let driver = &self.driver;
        if driver.core(|core| core.is_disposed()) != Some(false) {
            return Ok(JsValue::UNDEFINED);
        }
        // Merging reads `options`, whose getters may call back into the poller.
        let config = glue::merge_options(&cloned(&driver.options), &options);
        if config.is_undefined() {
            return Ok(config);
        }
        let Options { endpoints, template, timings, transport, callbacks } = Options::read(&config)?;
        if driver.core(|core| core.set_options(now(), endpoints, template, timings)).is_none() {
            return Ok(JsValue::UNDEFINED);
        }
        driver.options.set(config);
        driver.transport.set(Some(Rc::new(transport)));
        driver.callbacks.set(callbacks);
        Driver::pump(driver);
        // `Result<JsValue, JsValue>`, as `pickRunId`'s, so that the package has one such binding.
        Ok(JsValue::UNDEFINED)
    }

    /// Asks the agent `query`. Never rejects: failures land in the snapshot and in `onError`.
    /// Resolves once the start request is settled. The query of the run under way is ignored.
    #[wasm_bindgen(js_name = submitQuery, unchecked_return_type = "Promise<void>")]
    pub fn submit_query(&self, query: String) -> Promise {
        let driver = &self.driver;
        driver.follow_page();
        let sent = driver.core(|core| core.submit(now(), &query)).flatten();
        let promise = match sent {
            Some(id) => Promise::new(&mut |resolve, _reject| keep(&driver.settles, id, resolve)),
            None => Promise::resolve(&JsValue::UNDEFINED),
        };
        Driver::pump(driver);
        promise
    }

    /// Polls the run `runId` names (a `RunId`, a UUID string, or a numeric id as a number or
    /// decimal string) without starting one, as after a reload: phase `polling` and `runId`
    /// at once. `query`, when given, is the run's question: submitting it while the run is
    /// under way does nothing. Supersedes the run under way unless it is the same run, which
    /// makes this a no-op. Never throws: a malformed id ends in `error` with kind
    /// `invalid_run_id` and sends nothing. A run the server does not know ends in `gone`.
    pub fn resume(
        &self,
        #[wasm_bindgen(js_name = runId, unchecked_param_type = "RunId | string | number")] run_id: JsValue,
        query: Option<String>,
    ) {
        let run_id = RunId::from_json(&JsJson(run_id));
        self.driver.follow_page();
        self.driver.core(|core| core.resume(now(), run_id, query.as_deref()));
        Driver::pump(&self.driver);
    }

    /// Aborts what is in flight, cancels timers and returns to idle.
    pub fn reset(&self) {
        self.driver.core(Poller::reset);
        Driver::pump(&self.driver);
    }

    /// Calls `listener` after every change of the snapshot; returns the function that unsubscribes it.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn subscribe(&self, #[wasm_bindgen(unchecked_param_type = "() => void")] listener: Function) -> Function {
        let driver = &self.driver;
        let running = driver.core(|core| (!core.is_disposed()).then(|| core.is_running())).flatten();
        if let Some(running) = running {
            driver.listeners.add(&listener);
            driver.follow(running);
        }
        glue::unsubscriber(&driver.listeners, &listener, &driver.watch)
    }

    /// The current state: a frozen object, the same one until something changes. A part equal
    /// to the previous snapshot's is that very part.
    #[wasm_bindgen(js_name = getSnapshot, unchecked_return_type = "AskSeerState")]
    pub fn get_snapshot(&self) -> JsValue {
        self.driver.snapshot()
    }

    /// Stops for good: aborts what is in flight, cancels timers, drops listeners and callbacks.
    pub fn dispose(&self) {
        let driver = &self.driver;
        if driver.core(Poller::dispose).is_none() {
            return;
        }
        Driver::pump(driver);
        driver.listeners.clear();
        driver.timer.take();
        driver.follow(false);
        driver.callbacks.take();
    }
}

impl Driver {
    /// Runs `f` on the core, or returns `None` when the core is busy. It is borrowed only while
    /// one of its methods runs, which calls no JavaScript, so a re-entrant call should never
    /// find it busy; were it busy, the command is ignored, as `pump` ignores re-entrancy, and
    /// `getSnapshot` returns the last snapshot published.
    fn core<R>(&self, f: impl FnOnce(&mut Poller<JsBody>) -> R) -> Option<R> {
        self.core.try_borrow_mut().ok().map(|mut core| f(&mut core))
    }

    /// Performs the core's commands and tells its events until there are none, then arms
    /// the timer it wants. Commands come first: listeners are told of a snapshot once its
    /// request is out, and a replaced start settles once it is aborted.
    fn pump(this: &Rc<Self>) {
        loop {
            let Ok(mut core) = this.core.try_borrow_mut() else { return };
            if let Some(command) = core.poll_command() {
                drop(core);
                match command {
                    Command::Send(request) => Self::send(this, request),
                    Command::Abort(id) => this.abort(id),
                }
                continue;
            }
            let Some(event) = core.poll_event() else { break };
            drop(core);
            match event {
                Event::Publish => this.notify(),
                Event::Succeeded(response) => {
                    let on_success = cloned(&this.callbacks).on_success;
                    if let (Some(f), Ok(response)) = (on_success, to_frozen(&response)) {
                        report_thrown(f.call1(&JsValue::UNDEFINED, &response));
                    }
                }
                Event::Failed(error) => {
                    let on_error = cloned(&this.callbacks).on_error;
                    if let Some(f) = on_error {
                        report_thrown(f.call1(&JsValue::UNDEFINED, &js_error(&error)));
                    }
                }
                Event::StartSettled(id) => {
                    for resolve in take(&this.settles, id) {
                        report_thrown(resolve.call0(&JsValue::UNDEFINED));
                    }
                }
            }
        }
        Self::arm_timer(this);
        if let Some(running) = this.core(|core| core.is_running()) {
            this.follow(running);
        }
    }

    fn send(this: &Rc<Self>, request: Request) {
        // A clone: `fetch` may call back into the poller (`setOptions` replaces the transport).
        let sent = match cloned(&this.transport) {
            Some(transport) => transport.send(&request, &this.deliver),
            None => Err(String::from("no transport")),
        };
        match sent {
            Ok(controller) => keep(&this.in_flight, request.id, controller),
            Err(message) => Self::deliver(this, request.id, Err(message)),
        }
    }

    fn deliver(this: &Rc<Self>, id: RequestId, answer: Result<Answer, String>) {
        take(&this.in_flight, id);
        let now = now();
        this.core(|core| match &answer {
            Ok(answer) => core.handle_reply(now, id, answer.reply()),
            Err(message) => core.handle_reply(now, id, Reply::Network(message)),
        });
        Self::pump(this);
    }

    fn abort(&self, id: RequestId) {
        for controller in take(&self.in_flight, id) {
            controller.abort();
        }
    }

    fn notify(&self) {
        for listener in Array::from(&self.listeners).iter() {
            if let Ok(listener) = listener.dyn_into::<Function>() {
                report_thrown(listener.call0(&JsValue::UNDEFINED));
            }
        }
    }

    fn snapshot(&self) -> JsValue {
        let kept = self.snapshot.take();
        let previous = kept.as_ref().map_or(JsValue::NULL, |(_, snapshot)| snapshot.clone());
        let fresh = self.core(|core| {
            let version = core.version();
            let current = kept.as_ref().is_some_and(|(at, _)| *at == version);
            let fresh = if current { None } else { to_js(core.snapshot()).ok() };
            fresh.map(|fresh| (version, fresh))
        });
        let Some((version, fresh)) = fresh.flatten() else {
            self.snapshot.set(kept);
            return previous;
        };
        let snapshot = glue::publish(&previous, fresh);
        self.snapshot.set(Some((version, snapshot.clone())));
        snapshot
    }

    fn arm_timer(this: &Rc<Self>) {
        let Some(due) = this.core(|core| core.poll_timeout()) else { return };
        let timer = this.timer.take();
        if timer.as_ref().map(|(at, _)| *at) == due {
            this.timer.set(timer);
            return;
        }
        let armed = due.map(|at| {
            let delay = u32::try_from(at.saturating_sub(now())).unwrap_or(u32::MAX);
            let weak = Rc::downgrade(this);
            let timeout = Timeout::new(delay, move || {
                if let Some(driver) = weak.upgrade() {
                    let fired = driver.timer.take();
                    driver.core(|core| core.handle_timeout(now()));
                    Self::pump(&driver);
                    drop(fired);
                }
            });
            (at, timeout)
        });
        this.timer.set(armed);
        drop(timer);
    }

    /// Follows the page for a run about to start, unless disposed.
    fn follow_page(&self) {
        let disposed = self.core(|core| core.is_disposed()).unwrap_or(true);
        self.follow(!disposed);
    }

    /// Tells the page watch whether a run needs the page: it follows the page while a run or
    /// a listener does, and tells the core what it sees.
    fn follow(&self, running: bool) {
        report_thrown(self.watch.call1(&JsValue::UNDEFINED, &JsValue::from_bool(running)));
    }
}

impl Drop for Driver {
    /// A poller freed without `dispose()` still aborts what it had in flight.
    fn drop(&mut self) {
        self.listeners.clear();
        let _ = self.watch.call1(&JsValue::UNDEFINED, &JsValue::FALSE);
        for (_, controller) in self.in_flight.get_mut().drain(..) {
            controller.abort();
        }
    }
}

/// A copy of what `cell` holds.
fn cloned<T: Clone + Default>(cell: &Cell<T>) -> T {
    let value = cell.take();
    cell.set(value.clone());
    value
}

/// Keeps `value` for request `id`.
fn keep<T>(entries: &Cell<Vec<(RequestId, T)>>, id: RequestId, value: T) {
    let mut kept = entries.take();
    kept.push((id, value));
    entries.set(kept);
}

/// Takes out what is kept for request `id`.
fn take<T>(entries: &Cell<Vec<(RequestId, T)>>, id: RequestId) -> Vec<T> {
    let (taken, kept) = entries.take().into_iter().partition(|(entry, _)| *entry == id);
    entries.set(kept);
    taken.into_iter().map(|(_, value)| value).collect()
}

/// Rethrows, outside the poller, what a listener or callback threw.
fn report_thrown(result: Result<JsValue, JsValue>) {
    if let Err(thrown) = result {
        glue::report_later(&thrown);
    }
}
