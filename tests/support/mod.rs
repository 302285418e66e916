//! Shared helpers of the wasm test suites: a scripted `fetch`, the fixture server, JSON both ways.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export function scriptedFetch(answers) {
  const calls = [];
  const queue = [...answers];
  const load = { inFlight: 0, maxInFlight: 0 };
  const fetch = (url, init) => {
    const call = { url, method: init.method, headers: { ...init.headers }, body: init.body ?? null, credentials: init.credentials, signal: init.signal, at: performance.now(), doneAt: null };
    calls.push(call);
    const next = queue.length > 1 ? queue.shift() : queue[0];
    load.inFlight += 1;
    load.maxInFlight = Math.max(load.maxInFlight, load.inFlight);
    return answer(next, init.signal).finally(() => {
      call.doneAt = performance.now();
      load.inFlight -= 1;
    });
  };
  return { fetch, calls, load };
}
function answer(next, signal) {
  if (next === undefined) return Promise.reject(new TypeError("no scripted answer"));
  const aborted = () => new DOMException("aborted", "AbortError");
  if (next.hang) {
    return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(aborted())));
  }
  if (next.networkError) return Promise.reject(new TypeError(next.networkError));
  const respond = () => new Response(next.body ?? "", { status: next.status ?? 200, headers: next.headers ?? {} });
  if (!next.delayMs) return Promise.resolve(respond());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(respond()), next.delayMs);
    if (!next.ignoreAbort) signal?.addEventListener("abort", () => { clearTimeout(timer); reject(aborted()); });
  });
}
export function recorder(throws) {
  const calls = [];
  const fn = (...args) => {
    calls.push(args);
    if (throws) throw new Error(throws);
  };
  return { fn, calls };
}
export function captureUncaught() {
  const errors = [];
  if (typeof window !== "undefined") {
    const onError = (event) => { errors.push(event.error); event.preventDefault(); };
    const onRejection = (event) => { errors.push(event.reason); event.preventDefault(); };
    window.addEventListener("error", onError);
    window.addEventListener("unhandledrejection", onRejection);
    return { errors, stop: () => { window.removeEventListener("error", onError); window.removeEventListener("unhandledrejection", onRejection); } };
  }
  const onError = (error) => errors.push(error);
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return { errors, stop: () => { process.off("uncaughtException", onError); process.off("unhandledRejection", onError); } };
}
export function setVisibility(state) {
  if (state === null) delete document.visibilityState;
  else Object.defineProperty(document, "visibilityState", { configurable: true, get: () => state });
  document.dispatchEvent(new Event("visibilitychange"));
}
export function clearVisibility() {
  if (typeof document !== "undefined" && Object.hasOwn(document, "visibilityState")) delete document.visibilityState;
}
export function setOnline(state) {
  if (state === null) delete navigator.onLine;
  else Object.defineProperty(navigator, "onLine", { configurable: true, get: () => state });
  if (state !== null) globalThis.dispatchEvent(new Event(state ? "online" : "offline"));
}
export function clearOnline() {
  if (typeof navigator !== "undefined" && Object.hasOwn(navigator, "onLine")) delete navigator.onLine;
}
export function hasDocument() { return typeof document !== "undefined"; }
export function same(a, b) { return Object.is(a, b); }
export function now() { return performance.now(); }
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function stringify(value) { return JSON.stringify(value, (_k, v) => (v instanceof AbortSignal ? { aborted: v.aborted } : v)) ?? "null"; }
export function parse(text) { return JSON.parse(text); }
export function set(target, key, value) { target[key] = value; return target; }
export function isFrozen(value) { return Object.isFrozen(value); }
export function hasOwn(value, key) { return Object.hasOwn(value, key); }
export function isPlainObject(value) { return Object.getPrototypeOf(value) === Object.prototype; }
export function hasWindow() { return typeof window !== "undefined"; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = scriptedFetch)]
    fn scripted_fetch(answers: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_promise(ms: u32) -> js_sys::Promise;
    /// `performance.now()`: the clock of the poller and of the scripted `fetch`.
    pub fn now() -> f64;
    fn stringify(value: &JsValue) -> String;
    fn parse(text: &str) -> JsValue;
    /// `JSON.parse(text)`.
    #[wasm_bindgen(js_name = parse)]
    pub fn parse_text(text: &str) -> JsValue;
    /// `target[key] = value`.
    pub fn set(target: &JsValue, key: &str, value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isFrozen)]
    pub fn is_frozen(value: &JsValue) -> bool;
    /// `Object.hasOwn(value, key)`.
    #[wasm_bindgen(js_name = hasOwn)]
    pub fn has_own(value: &JsValue, key: &str) -> bool;
    /// Whether the prototype of `value` is `Object.prototype`.
    #[wasm_bindgen(js_name = isPlainObject)]
    pub fn is_plain_object(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = hasWindow)]
    pub fn has_window() -> bool;
    #[wasm_bindgen(js_name = hasDocument)]
    pub fn has_document() -> bool;
    /// `Object.is(a, b)`.
    pub fn same(a: &JsValue, b: &JsValue) -> bool;
    fn recorder(throws: Option<String>) -> JsValue;
    #[wasm_bindgen(js_name = captureUncaught)]
    fn capture_uncaught() -> JsValue;
    #[wasm_bindgen(js_name = setVisibility)]
    fn set_visibility(state: Option<String>);
    /// Drops a `visibilityState` override a failed test left behind (a panic skips `Drop`), silently.
    #[wasm_bindgen(js_name = clearVisibility)]
    pub fn clear_visibility();
    #[wasm_bindgen(js_name = setOnline)]
    fn set_online(state: Option<bool>);
    /// Drops a `navigator.onLine` override a failed test left behind, silently.
    #[wasm_bindgen(js_name = clearOnline)]
    pub fn clear_online();
}

/// `target[key]`.
pub fn field(target: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(target, &key.into()).unwrap()
}

/// Whether the suite was built to run in a browser (`WASM_BINDGEN_USE_BROWSER` set at build time,
/// as the runner reads it): a browser-only check can then fail when it finds itself in Node.
pub fn expects_browser() -> bool {
    option_env!("WASM_BINDGEN_USE_BROWSER").is_some()
}

/// A JavaScript value from JSON.
pub fn js(value: Value) -> JsValue {
    parse(&value.to_string())
}

/// `JSON.stringify(value)`.
pub fn json_text(value: &JsValue) -> String {
    stringify(value)
}

/// JSON from a JavaScript value.
pub fn json(value: &JsValue) -> Value {
    serde_json::from_str(&stringify(value)).unwrap()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    JsFuture::from(sleep_promise(ms)).await.unwrap();
}

/// A `fetch` answering from `answers` in order (the last repeats), recording every call.
/// Each answer is `{status, body, headers, delayMs}`, `{networkError: message}` or `{hang: true}`.
pub struct Scripted {
    handle: JsValue,
}

impl Scripted {
    pub fn new(answers: Value) -> Self {
        Self { handle: scripted_fetch(js(answers)) }
    }

    /// The `fetch` function to put in a config.
    pub fn fetch(&self) -> JsValue {
        field(&self.handle, "fetch")
    }

    /// The calls so far: `{url, method, headers, body, credentials, signal: {aborted}, at, doneAt}`,
    /// `at` and `doneAt` on `performance.now()` when the call was made and when its answer settled.
    pub fn calls(&self) -> Vec<Value> {
        json(&field(&self.handle, "calls")).as_array().cloned().unwrap()
    }

    /// The most calls that were unsettled at the same time.
    pub fn max_in_flight(&self) -> u64 {
        json(&field(&self.handle, "load"))["maxInFlight"].as_u64().unwrap()
    }

    /// A config for `org` with this fetch and `extra` fields merged in.
    pub fn config(&self, org: &str, extra: Value) -> JsValue {
        let mut config = serde_json::json!({"orgSlug": org, "headers": {"X-Test": "yes"}});
        if let (Some(config), Some(extra)) = (config.as_object_mut(), extra.as_object()) {
            config.extend(extra.clone());
        }
        let config = js(config);
        set(&config, "fetch", &self.fetch())
    }
}

/// A JavaScript function that records the arguments of every call, and throws when asked to.
pub struct Recorder {
    handle: JsValue,
}

impl Default for Recorder {
    fn default() -> Self {
        Self { handle: recorder(None) }
    }
}

impl Recorder {
    /// A recorder that throws an `Error` with `message` after recording each call.
    pub fn throwing(message: &str) -> Self {
        Self { handle: recorder(Some(message.to_owned())) }
    }

    /// The function to pass.
    pub fn function(&self) -> js_sys::Function {
        field(&self.handle, "fn").into()
    }

    /// The first argument of every call so far.
    pub fn first_args(&self) -> Vec<JsValue> {
        js_sys::Array::from(&field(&self.handle, "calls"))
            .iter()
            .map(|args| js_sys::Array::from(&args).get(0))
            .collect()
    }

    /// How many calls so far.
    pub fn count(&self) -> usize {
        self.first_args().len()
    }
}

/// Collects what is thrown outside any caller (`error` events in a page, `uncaughtException` in Node)
/// until dropped, keeping it from failing the run. Unhandled rejections are caught too.
pub struct Uncaught {
    handle: JsValue,
}

impl Uncaught {
    pub fn capture() -> Self {
        Self { handle: capture_uncaught() }
    }

    /// The `message` of everything caught so far.
    pub fn messages(&self) -> Vec<String> {
        js_sys::Array::from(&field(&self.handle, "errors"))
            .iter()
            .map(|error| field(&error, "message").as_string().unwrap_or_default())
            .collect()
    }
}

impl Drop for Uncaught {
    fn drop(&mut self) {
        let stop: js_sys::Function = field(&self.handle, "stop").into();
        stop.call0(&JsValue::UNDEFINED).unwrap();
    }
}

/// Overrides `document.visibilityState` and dispatches `visibilitychange`; the page's own state
/// comes back (and is announced) when dropped.
pub struct Visibility;

impl Visibility {
    /// Makes the page read as hidden.
    pub fn hide() -> Self {
        set_visibility(Some("hidden".to_owned()));
        Self
    }

    /// Makes the page read as visible again.
    pub fn show(&self) {
        set_visibility(Some("visible".to_owned()));
    }
}

impl Drop for Visibility {
    fn drop(&mut self) {
        set_visibility(None);
    }
}

/// Overrides `navigator.onLine` with `false` and dispatches `offline`; the browser's own state
/// comes back when dropped (without an event: the browser never went offline).
pub struct Offline;

impl Offline {
    /// Makes the browser read as offline.
    pub fn start() -> Self {
        set_online(Some(false));
        Self
    }

    /// Makes the browser read as online again and dispatches `online`.
    pub fn end(&self) {
        set_online(Some(true));
    }
}

impl Drop for Offline {
    fn drop(&mut self) {
        set_online(None);
    }
}

/// A 200 JSON answer with `body`.
pub fn ok(body: &str) -> Value {
    serde_json::json!({"status": 200, "body": body, "headers": {"Content-Type": "application/json"}})
}

/// A fixture body from `tests/fixtures/`.
pub fn fixture(name: &str) -> &'static str {
    match name {
        "start-uuid" => include_str!("../fixtures/start-uuid.json"),
        "start-uuid-picked-up" => include_str!("../fixtures/start-uuid-picked-up.json"),
        "start-legacy" => include_str!("../fixtures/start-legacy.json"),
        "start-500-retry-token" => include_str!("../fixtures/start-500-retry-token.json"),
        "state-pending" => include_str!("../fixtures/state-pending.json"),
        "state-processing" => include_str!("../fixtures/state-processing.json"),
        "state-completed" => include_str!("../fixtures/state-completed.json"),
        "state-completed-single-legacy" => include_str!("../fixtures/state-completed-single-legacy.json"),
        "state-unsupported" => include_str!("../fixtures/state-unsupported.json"),
        "state-error" => include_str!("../fixtures/state-error.json"),
        "state-404-not-found" => include_str!("../fixtures/state-404-not-found.json"),
        "state-400-invalid-run-id" => include_str!("../fixtures/state-400-invalid-run-id.json"),
        other => panic!("no fixture {other}"),
    }
}

/// The fixture server's base URL (`tests/server/fixture-server.mjs`), set when the suite is built.
/// Read at run time, so that the suites still build (for clippy, say) without the server.
#[allow(clippy::option_env_unwrap)]
pub fn server() -> &'static str {
    option_env!("ASK_SEER_TEST_SERVER").expect("run the suite through tests/server/fixture-server.mjs")
}

/// A config for the fixture server: the slug `{scenario}_{test}` picks the server's scenario.
pub fn server_config(org: &str) -> JsValue {
    js(serde_json::json!({
        "orgSlug": org,
        "baseUrl": format!("{}/api/0", server()),
        "headers": {"X-Test": "yes"},
    }))
}

/// The requests the fixture server received for `org`.
pub async fn server_log(org: &str) -> Vec<Value> {
    let fetch = js_sys::Reflect::get(&js_sys::global(), &"fetch".into()).unwrap();
    let fetch: js_sys::Function = fetch.into();
    let url = format!("{}/__log/{org}", server());
    let response =
        JsFuture::from(js_sys::Promise::from(fetch.call1(&JsValue::UNDEFINED, &url.into()).unwrap())).await.unwrap();
    let text = js_sys::Reflect::get(&response, &"text".into()).unwrap();
    let text: js_sys::Function = text.into();
    let text = JsFuture::from(js_sys::Promise::from(text.call0(&response).unwrap())).await.unwrap();
    serde_json::from_str::<Vec<Value>>(&text.as_string().unwrap()).unwrap()
}

/// The error's `{name, kind, status, detail, message}`.
pub fn error_fields(error: &JsValue) -> Value {
    let get = |key: &str| js_sys::Reflect::get(error, &key.into()).unwrap();
    serde_json::json!({
        "name": json(&get("name")),
        "kind": json(&get("kind")),
        "status": json(&get("status")),
        "detail": json(&get("detail")),
        "message": json(&get("message")),
        "isError": error.is_instance_of::<js_sys::Error>(),
    })
}
