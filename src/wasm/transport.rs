//! Sending the core's requests with `fetch` and reading the answers.

use super::glue::{self, message_of};
use super::json::JsJson;
use crate::core::{
    Body, ClientConfigInput, Endpoints, Error, ErrorKind, FETCH, Headers, HttpResponse, Method, Reply, Request,
    check_headers,
};
use crate::text;
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal};

/// The `fetch` to call and the headers to send, read once from a `ClientConfig`.
pub struct Transport {
    fetch: Function,
    get_headers: Object,
    post_headers: Object,
    /// The last URL requested, as a JavaScript string: a run polls one URL, made into a string once.
    last_url: Cell<Option<(String, JsValue)>>,
}

/// Reads and checks a `ClientConfig`.
pub fn client_config(config: &JsValue) -> Result<(Endpoints, Transport), Error> {
    let input = ClientConfigInput::read(&JsJson(config.clone()))?;
    let endpoints = Endpoints::new(&input.org_slug, input.base_url.as_deref())?;
    let headers = input.headers.unwrap_or_default();
    check_headers(&headers)?;
    let fetch = match Reflect::get(config, &JsValue::from_str(FETCH.name)) {
        Ok(f) if f.is_undefined() || f.is_null() => glue::global_fetch()
            .ok_or_else(|| Error::new(ErrorKind::InvalidConfig, "there is no global fetch here: pass config.fetch"))?,
        Ok(f) => f
            .dyn_into::<Function>()
            .map_err(|_| Error::new(ErrorKind::InvalidConfig, "config.fetch must be a function"))?,
        Err(thrown) => {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                text!["config.fetch cannot be read: ", message_of(&thrown)],
            ));
        }
    };
    let transport = Transport {
        fetch,
        get_headers: header_object(&headers, None),
        post_headers: header_object(&headers, Some("application/json")),
        last_url: Cell::new(None),
    };
    Ok((endpoints, transport))
}

fn header_object(headers: &Headers, content_type: Option<&str>) -> Object {
    let object = Object::new();
    let set = |name: &str, value: &str| Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    for (name, value) in &headers.0 {
        if content_type.is_none() || !name.eq_ignore_ascii_case("content-type") {
            let _ = set(name, value);
        }
    }
    if let Some(content_type) = content_type {
        let _ = set("Content-Type", content_type);
    }
    Object::freeze(&object)
}

impl Transport {
    /// The URL of `request` as a JavaScript string, and the headers for its method.
    fn target(&self, request: &Request) -> (JsValue, bool, &Object) {
        let (post, headers) = match request.method {
            Method::Get => (false, &self.get_headers),
            Method::Post => (true, &self.post_headers),
        };
        let last = match self.last_url.take() {
            Some((text, url)) if text == request.url => (text, url),
            _ => (request.url.clone(), JsValue::from_str(&request.url)),
        };
        let url = last.1.clone();
        self.last_url.set(Some(last));
        (url, post, headers)
    }

    /// Sends `request` under `signal`, then calls `settle` with its [`Settled`] value: the
    /// promise of what `settle` returns.
    pub fn exchange(&self, request: &Request, signal: Option<&AbortSignal>, settle: &JsValue) -> Promise {
        let (url, post, headers) = self.target(request);
        glue::exchange(&self.fetch, &url, post, headers, request.body.as_deref(), signal, settle)
    }

    /// Sends `request` under a new `AbortController`, which it returns; `deliver(id, settled)`
    /// gets its [`Settled`] value. `Err` carries the message of what making the controller threw.
    pub fn send(&self, request: &Request, deliver: &Function) -> Result<AbortController, String> {
        let (url, post, headers) = self.target(request);
        let id = request.id.get() as f64;
        glue::send(&self.fetch, &url, post, headers, request.body.as_deref(), deliver, id)
            .map_err(|thrown| message_of(&thrown))
    }
}

/// A body as `fetch` gave it: the JavaScript string, which never enters wasm memory. It is
/// compared as a string and parsed by `JSON.parse` when the core asks for the data.
#[derive(Clone, Debug, PartialEq)]
pub struct JsBody(JsValue);

impl Body for JsBody {
    type Json = JsJson;

    fn len_over(&self, limit: usize) -> Option<usize> {
        let limit = u32::try_from(limit).unwrap_or(u32::MAX);
        glue::utf8_length_over(&self.0, limit).map(|len| len as usize)
    }

    fn parse(&self) -> Result<JsJson, String> {
        glue::parse_json(&self.0).map(JsJson).map_err(|thrown| message_of(&thrown))
    }
}

/// An answer read in full.
pub struct Answer {
    status: u16,
    body: JsBody,
    retry_after: Option<String>,
    unix_now_ms: u64,
}

impl Answer {
    /// Status and body.
    pub fn response(&self) -> HttpResponse<'_, JsBody> {
        HttpResponse { status: self.status, body: &self.body }
    }

    /// The answer as the poller takes it.
    pub fn reply(&self) -> Reply<'_, JsBody> {
        Reply::Http {
            response: self.response(),
            retry_after: self.retry_after.as_deref(),
            unix_now_ms: self.unix_now_ms,
        }
    }
}

/// What a request settles with, from `glue::exchange`: the answer, or the message of what failed.
pub struct Settled(pub JsValue);

impl Settled {
    /// The answer read in full; `Err` carries the message of what `fetch` or reading threw.
    pub fn answer(self) -> Result<Answer, String> {
        if let Some(message) = self.0.as_string() {
            return Err(message);
        }
        let read: glue::ReadAnswer = self.0.unchecked_into();
        Ok(Answer {
            status: read.status(),
            body: JsBody(read.body()),
            retry_after: read.retry_after(),
            unix_now_ms: read.at() as u64,
        })
    }
}
