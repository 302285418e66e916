//! The one-shot API: `pickRunId`, `start`, `poll`, `queriesOf` and `isAskSeerError`.

use super::convert::to_frozen;
use super::glue;
use super::json::JsJson;
use super::transport::{Answer, Settled, Transport, client_config};
use crate::core::uuid_text;
use crate::core::{
    Error, ErrorKind, Method, PollResultView, Request, RequestId, RunId, StartRequestInput, StartTemplate, decode_poll,
    decode_start, pick_run_id, queries_of,
};
use crate::text;
use js_sys::Promise;
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

/// Starts a run: `POST {baseUrl}/organizations/{orgSlug}/search-agent/start/`, resolving to
/// the id to poll. Bad input rejects with `invalid_config` before anything is sent.
#[wasm_bindgen(unchecked_return_type = "Promise<RunId>")]
pub fn start(
    #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    #[wasm_bindgen(unchecked_param_type = "StartRequest")] request: JsValue,
) -> Promise {
    let planned = client_config(&config).and_then(|(endpoints, transport)| {
        let input = StartRequestInput::read(&JsJson(request), "request")?;
        let query = input.query.clone();
        let body = StartTemplate::new(input)?.body(&query);
        let url = endpoints.start_url();
        Ok((transport, Request { id: RequestId::ONE_SHOT, method: Method::Post, url, body: Some(body) }))
    });
    exchange(planned, None, "start", |answer| to_frozen(&decode_start(answer.response()).map_err(|f| f.error)?))
}

/// Polls a run once: `GET {baseUrl}/organizations/{orgSlug}/search-agent/state/{id}/`.
/// `runId` is a `RunId`, a UUID string or a positive integer; anything else rejects with
/// `invalid_run_id` before anything is sent. An aborted `signal` rejects with `aborted`.
#[wasm_bindgen(unchecked_return_type = "Promise<PollResult>")]
pub fn poll(
    #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    #[wasm_bindgen(js_name = runId, unchecked_param_type = "RunId | string | number")] run_id: JsValue,
    signal: Option<AbortSignal>,
) -> Promise {
    let planned = client_config(&config).and_then(|(endpoints, transport)| {
        let url = endpoints.state_url(&RunId::from_json(&JsJson(run_id))?);
        Ok((transport, Request { id: RequestId::ONE_SHOT, method: Method::Get, url, body: None }))
    });
    exchange(planned, signal, "state", |answer| {
        let result = decode_poll(answer.response())?;
        to_frozen(&PollResultView {
            session: result.session.as_ref().map(|s| &s.data),
            keep_polling: result.keep_polling,
            sentry_run_id: result.sentry_run_id.map(uuid_text),
        })
    })
}

/// Sends a planned request once, settling with what `decode` makes of the answer. A bad plan
/// rejects with its error, a failed `fetch` with `network`, an aborted signal with `aborted`.
fn exchange(
    planned: Result<(Transport, Request), Error>,
    signal: Option<AbortSignal>,
    what: &'static str,
    decode: fn(&Answer) -> Result<JsValue, JsValue>,
) -> Promise {
    let aborted = move |signal: &Option<AbortSignal>| {
        signal.as_ref().is_some_and(AbortSignal::aborted).then(|| text![what, " request was aborted"])
    };
    let (transport, request) = match planned {
        Ok(planned) => planned,
        Err(error) => return Promise::reject(&error.into()),
    };
    if let Some(message) = aborted(&signal) {
        return Promise::reject(&Error::new(ErrorKind::Aborted, message).into());
    }
    let sent_under = signal.clone();
    // Called once; JavaScript owns it, and frees it with the promise.
    let settle = Closure::<dyn FnMut(JsValue) -> Result<JsValue, JsValue>>::new(move |settled| {
        let answer = Settled(settled).answer().map_err(|message| match aborted(&sent_under) {
            Some(aborted) => Error::new(ErrorKind::Aborted, aborted),
            None => Error::new(ErrorKind::Network, text![what, " request failed: ", message]),
        })?;
        decode(&answer)
    })
    .into_js_value();
    transport.exchange(&request, signal.as_ref(), &settle)
}
