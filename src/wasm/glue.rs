//! Bindings to `js/src/glue.js`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/src/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = makeError)]
    pub fn make_error(kind: &str, message: &str, status: Option<u16>, detail: Option<String>) -> JsValue;
    #[wasm_bindgen(js_name = instanceOfAskSeerError)]
    pub fn is_ask_seer_error(value: &JsValue) -> bool;
    #[wasm_bindgen(js_name = deepFreeze)]
    pub fn deep_freeze(value: JsValue) -> JsValue;
    /// `next` sharing every part deep-equal to `prev`'s, deeply frozen.
    pub fn publish(prev: &JsValue, next: JsValue) -> JsValue;
    #[wasm_bindgen(js_name = kindOf)]
    pub fn kind_of(value: &JsValue) -> u8;
    #[wasm_bindgen(js_name = ownField)]
    pub fn own_field(value: &JsValue, key: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = ownEntries, catch)]
    pub fn own_entries(value: &JsValue) -> Result<js_sys::Array, JsValue>;
    #[wasm_bindgen(catch)]
    pub fn stringify(value: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(js_name = parseJson, catch)]
    pub fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = utf8LengthOver)]
    pub fn utf8_length_over(text: &JsValue, limit: u32) -> Option<u32>;
    /// `{status, body, retryAfter, at}`: an answer `exchange` read in full.
    pub type ReadAnswer;
    #[wasm_bindgen(method, getter)]
    pub fn status(this: &ReadAnswer) -> u16;
    #[wasm_bindgen(method, getter)]
    pub fn body(this: &ReadAnswer) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = retryAfter)]
    pub fn retry_after(this: &ReadAnswer) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    pub fn at(this: &ReadAnswer) -> f64;
    /// `fetch(url, {method: post ? "POST" : "GET", headers, body, credentials: "same-origin", signal})`,
    /// then `settle` with a `ReadAnswer` or the message of what failed: the promise of what
    /// `settle` returns.
    pub fn exchange(
        fetch: &js_sys::Function,
        url: &JsValue,
        post: bool,
        headers: &js_sys::Object,
        body: Option<&str>,
        signal: Option<&web_sys::AbortSignal>,
        settle: &JsValue,
    ) -> js_sys::Promise;
    /// `exchange` under a new `AbortController`, returned; `deliver(id, settled)` is called with
    /// what it settles with. `Err` is what making the controller threw.
    #[wasm_bindgen(catch)]
    pub fn send(
        fetch: &js_sys::Function,
        url: &JsValue,
        post: bool,
        headers: &js_sys::Object,
        body: Option<&str>,
        deliver: &js_sys::Function,
        id: f64,
    ) -> Result<web_sys::AbortController, JsValue>;
    /// The message of a thrown value.
    #[wasm_bindgen(js_name = messageOf)]
    pub fn message_of(thrown: &JsValue) -> String;
    #[wasm_bindgen(js_name = monotonicNow)]
    pub fn monotonic_now() -> f64;
    #[wasm_bindgen(js_name = globalFetch)]
    pub fn global_fetch() -> Option<js_sys::Function>;
    /// The function `update(running?)` that follows the page while `running` (the last one
    /// given) or while `listeners` has any, calling `changed(visible, online)` when it starts
    /// following and on every change.
    #[wasm_bindgen(js_name = pageWatch)]
    pub fn page_watch(listeners: &js_sys::Set, changed: &js_sys::Function) -> js_sys::Function;
    /// The function that takes `listener` out of `listeners`, then calls `update()`.
    pub fn unsubscriber(
        listeners: &js_sys::Set,
        listener: &js_sys::Function,
        update: &js_sys::Function,
    ) -> js_sys::Function;
    /// `options` over `config` (none when undefined) in a new object, or `undefined` when
    /// that changes nothing.
    #[wasm_bindgen(js_name = mergeOptions)]
    pub fn merge_options(config: &JsValue, options: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = reportLater)]
    pub fn report_later(error: &JsValue);
}
