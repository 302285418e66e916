//! The one-shot API: `pickRunId`, `start`, `poll`, `queriesOf` and `isAskSeerError`.

use super::convert::{js_error, to_frozen};
use super::glue;
use super::json::JsJson;
use super::transport::{Answer, Transport, client_config, receive};
use crate::core::uuid_text;
use crate::core::{
    Error, ErrorKind, Method, PollResultView, Request, RequestId, RunId, StartRequestInput, StartTemplate, decode_poll,
    decode_start, pick_run_id, queries_of,
};
use js_sys::Promise;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

/// Picks the id to poll from a start response: a valid `sentry_run_id` UUID first, then a
/// positive integer `run_id`; throws an `AskSeerError` of kind `missing_run_id` otherwise.
#[wasm_bindgen(js_name = pickRunId, unchecked_return_type = "RunId")]
pub fn pick_run_id_js(#[wasm_bindgen(unchecked_param_type = "unknown")] response: JsValue) -> Result<JsValue, JsValue> {
    let run_id = pick_run_id(&JsJson(response))?;
    to_frozen(&run_id)
}

/// The candidate queries of a `final_response`, best first, normalised from either shape
/// (`responses[]` or an older server's single query object). Never throws: anything else
/// gives an empty array.
#[wasm_bindgen(js_name = queriesOf, unchecked_return_type = "AskSeerQuery[]")]
pub fn queries_of_js(#[wasm_bindgen(unchecked_param_type = "unknown")] final_response: JsValue) -> JsValue {
    to_frozen(&queries_of(&JsJson(final_response))).unwrap_or_else(|_| js_sys::Array::new().into())
}

/// Whether `value` is an error this package threw or reported.
#[wasm_bindgen(js_name = isAskSeerError, unchecked_return_type = "value is AskSeerError")]
pub fn is_ask_seer_error(#[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) -> bool {
    glue::is_ask_seer_error(&value)
}

/// The promise of `future`. Every exported future is boxed into the one type, so that the
/// package carries one copy of the code that drives a future to a promise.
fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(future);
    wasm_bindgen_futures::future_to_promise(future)
}

/// Starts a run: `POST {baseUrl}/organizations/{orgSlug}/search-agent/start/`, resolving to
/// the id to poll. Bad input rejects with `invalid_config` before anything is sent.
#[wasm_bindgen(js_name = start, unchecked_return_type = "Promise<RunId>")]
pub fn start_js(
    #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StartRequest")] request: JsValue,
) -> Promise {
    promise(start(config, request))
}

/// `start` as a Rust future.
pub async fn start(config: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    let (endpoints, transport) = client_config(&config)?;
    let input = StartRequestInput::read(&JsJson(request), "request")?;
    let query = input.query.clone();
    let body = StartTemplate::new(input)?.body(&query);
    let request =
        Request { id: RequestId::ONE_SHOT, method: Method::Post, url: endpoints.start_url(), body: Some(body) };
    let answer = exchange(&transport, &request, None, "start").await?;
    let run_id = decode_start(answer.response()).map_err(|f| f.error)?;
    to_frozen(&run_id)
}

/// Polls a run once: `GET {baseUrl}/organizations/{orgSlug}/search-agent/state/{id}/`.
/// `runId` is a `RunId`, a UUID string or a positive integer; anything else rejects with
/// `invalid_run_id` before anything is sent. An aborted `signal` rejects with `aborted`.
#[wasm_bindgen(js_name = poll, unchecked_return_type = "Promise<PollResult>")]
pub fn poll_js(
    #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    #[wasm_bindgen(js_name = runId, unchecked_param_type = "RunId | string | number")] run_id: JsValue,
    signal: Option<AbortSignal>,
) -> Promise {
    promise(poll(config, run_id, signal))
}

/// `poll` as a Rust future.
pub async fn poll(config: JsValue, run_id: JsValue, signal: Option<AbortSignal>) -> Result<JsValue, JsValue> {
    let (endpoints, transport) = client_config(&config)?;
    let run_id = RunId::from_json(&JsJson(run_id))?;
    let request =
        Request { id: RequestId::ONE_SHOT, method: Method::Get, url: endpoints.state_url(&run_id), body: None };
    let answer = exchange(&transport, &request, signal.as_ref(), "state").await?;
    let result = decode_poll(answer.response())?;
    to_frozen(&PollResultView {
        session: result.session.as_ref().map(|s| &s.data),
        keep_polling: result.keep_polling,
        sentry_run_id: result.sentry_run_id.map(uuid_text),
    })
}

/// Sends one request, mapping a thrown `fetch` to `network` and an aborted signal to `aborted`.
async fn exchange(
    transport: &Transport,
    request: &Request,
    signal: Option<&AbortSignal>,
    what: &str,
) -> Result<Answer, JsValue> {
    let aborted = |signal: Option<&AbortSignal>| signal.is_some_and(AbortSignal::aborted);
    let aborted_error = || js_error(&Error::new(ErrorKind::Aborted, format!("{what} request was aborted")));
    if aborted(signal) {
        return Err(aborted_error());
    }
    receive(transport.send(request, signal)).await.map_err(|message| {
        if aborted(signal) {
            aborted_error()
        } else {
            js_error(&Error::new(ErrorKind::Network, format!("{what} request failed: {message}")))
        }
    })
}
