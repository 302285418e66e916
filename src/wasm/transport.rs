//! Sending the core's requests with `fetch` and reading the answers.

use super::convert::{fields, message_of, read};
use super::glue;
use crate::core::config::{Headers, check_headers};
use crate::core::{
    Body, ClientConfigInput, Endpoints, Error, ErrorKind, HttpResponse, Json, MAX_BODY_BYTES, Method, Reply, Request,
};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

/// The `fetch` to call and the headers to send, read once from a `ClientConfig`.
pub struct Transport {
    fetch: Function,
    get_headers: Object,
    post_headers: Object,
}

/// Reads and checks a `ClientConfig`.
pub fn client_config(config: &JsValue) -> Result<(Endpoints, Transport), Error> {
    let input = ClientConfigInput::read(&mut fields(config))?;
    let endpoints = Endpoints::new(&input.org_slug, input.base_url.as_deref())?;
    let headers = input.headers.unwrap_or_default();
    check_headers(&headers)?;
    let fetch = match Reflect::get(config, &JsValue::from_str("fetch")) {
        Ok(f) if f.is_undefined() || f.is_null() => glue::global_fetch()
            .ok_or_else(|| Error::new(ErrorKind::InvalidConfig, "there is no global fetch here: pass config.fetch"))?,
        Ok(f) => f
            .dyn_into::<Function>()
            .map_err(|_| Error::new(ErrorKind::InvalidConfig, "config.fetch must be a function"))?,
        Err(thrown) => {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("config.fetch cannot be read: {}", message_of(&thrown)),
            ));
        }
    };
    let transport = Transport {
        fetch,
        get_headers: header_object(&headers, None),
        post_headers: header_object(&headers, Some("application/json")),
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
    /// Calls `fetch` for `request`; `Err` is what `fetch` threw synchronously.
    pub fn send(&self, request: &Request, signal: Option<&AbortSignal>) -> Result<Promise, JsValue> {
        let (method, headers) = match request.method {
            Method::Get => ("GET", &self.get_headers),
            Method::Post => ("POST", &self.post_headers),
        };
        glue::send(&self.fetch, &request.url, method, headers, request.body.as_deref(), signal)
    }
}

/// A body as `fetch` gave it: the text, copied into wasm memory to be compared and checked,
/// and the JavaScript string itself, which `JSON.parse` reads when the core asks for the data.
pub struct JsBody {
    text: String,
    value: JsValue,
}

impl Body for JsBody {
    fn text(&self) -> &str {
        &self.text
    }

    fn json(&self) -> Result<Json, String> {
        read(glue::parse_json(&self.value).map_err(|thrown| message_of(&thrown))?)
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
    pub fn response(&self) -> HttpResponse<'_> {
        HttpResponse { status: self.status, body: &self.body }
    }

    /// The answer as the poller takes it.
    pub fn reply(&self) -> Reply<'_> {
        Reply::Http {
            response: self.response(),
            retry_after: self.retry_after.as_deref(),
            unix_now_ms: self.unix_now_ms,
        }
    }
}

/// Waits for the response and its body. `Err` carries the message of what was thrown.
pub async fn receive(sent: Result<Promise, JsValue>) -> Result<Answer, String> {
    let failed = |thrown: JsValue| message_of(&thrown);
    // A body over the limit is cut just past it, so the core refuses it without copying it all.
    let limit = u32::try_from(MAX_BODY_BYTES).unwrap_or(u32::MAX).saturating_add(1);
    let read: glue::ReadAnswer =
        JsFuture::from(glue::read_answer(&sent.map_err(failed)?, limit)).await.map_err(failed)?.unchecked_into();
    Ok(Answer {
        status: read.status(),
        body: JsBody { text: read.body(), value: read.body_value() },
        retry_after: read.retry_after(),
        unix_now_ms: read.at() as u64,
    })
}
