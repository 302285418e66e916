//! Crossing the boundary: typed Rust values out to JavaScript with serde-wasm-bindgen (the
//! values the core passes through go as they are), and core errors to `AskSeerError`s.

use super::glue;
use crate::core::{Error, ErrorKind};
use crate::text;
use serde::Serialize;
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::JsValue;

/// The `AskSeerError` for a core error.
pub fn js_error(error: &Error) -> JsValue {
    glue::make_error(error.kind.as_str(), &error.message, error.status, error.detail.clone())
}

impl From<Error> for JsValue {
    /// Core errors cross into JavaScript as `AskSeerError`s.
    fn from(error: Error) -> Self {
        js_error(&error)
    }
}

/// `value` in JavaScript, with `null` for absent values and plain objects.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&Serializer::json_compatible()).map_err(|e| {
        let message = text!["value cannot be encoded: ", glue::message_of(&e.into())];
        js_error(&Error::new(ErrorKind::Decode, message))
    })
}

/// `value` in JavaScript, deeply frozen.
pub fn to_frozen<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value).map(glue::deep_freeze)
}
