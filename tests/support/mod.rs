//! Shared helpers of the wasm test suites: a scripted `fetch`, the fixture server, JSON both ways.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
export function scriptedFetch(answers) {
  const calls = [];
  const queue = [...answers];
  const fetch = (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body ?? null, credentials: init.credentials, signal: init.signal });
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next === undefined) return Promise.reject(new TypeError("no scripted answer"));
    if (next.hang) {
      return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    }
    if (next.networkError) return Promise.reject(new TypeError(next.networkError));
    const respond = () => new Response(next.body ?? "", { status: next.status ?? 200, headers: next.headers ?? {} });
    if (next.delayMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(respond()), next.delayMs);
        init.signal?.addEventListener("abort", () => { clearTimeout(timer); reject(new DOMException("aborted", "AbortError")); });
      });
    }
    return Promise.resolve(respond());
  };
  return { fetch, calls };
}
export function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
export function stringify(value) { return JSON.stringify(value, (_k, v) => (v instanceof AbortSignal ? { aborted: v.aborted } : v)) ?? "null"; }
export function parse(text) { return JSON.parse(text); }
export function set(target, key, value) { target[key] = value; return target; }
export function isFrozen(value) { return Object.isFrozen(value); }
export function hasWindow() { return typeof window !== "undefined"; }
"#)]
extern "C" {
    #[wasm_bindgen(js_name = scriptedFetch)]
    fn scripted_fetch(answers: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = sleep)]
    fn sleep_promise(ms: u32) -> js_sys::Promise;
    fn stringify(value: &JsValue) -> String;
    fn parse(text: &str) -> JsValue;
    /// `target[key] = value`.
    pub fn set(target: &JsValue, key: &str, value: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = isFrozen)]
    pub fn is_frozen(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = hasWindow)]
    pub fn has_window() -> bool;
}

/// A JavaScript value from JSON.
pub fn js(value: Value) -> JsValue {
    parse(&value.to_string())
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
        js_sys::Reflect::get(&self.handle, &"fetch".into()).unwrap()
    }

    /// The calls so far: `{url, method, headers, body, credentials, signal: {aborted}}`.
    pub fn calls(&self) -> Vec<Value> {
        let calls = js_sys::Reflect::get(&self.handle, &"calls".into()).unwrap();
        json(&calls).as_array().cloned().unwrap()
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
        "state-unsupported" => include_str!("../fixtures/state-unsupported.json"),
        "state-error" => include_str!("../fixtures/state-error.json"),
        "state-404-not-found" => include_str!("../fixtures/state-404-not-found.json"),
        "state-400-invalid-run-id" => include_str!("../fixtures/state-400-invalid-run-id.json"),
        other => panic!("no fixture {other}"),
    }
}

/// The fixture server's base URL (`tests/server/fixture-server.mjs`), set when the suite is built.
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
