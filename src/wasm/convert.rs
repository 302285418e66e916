//! Crossing the boundary with serde-wasm-bindgen: core values to frozen JavaScript objects,
//! JavaScript values to core types, and core errors to `AskSeerError`s.

use super::glue;
use crate::core::{Error, ErrorKind, Json};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_wasm_bindgen::{Deserializer, Serializer};
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

/// A JavaScript copy of `value`, with `null` for absent values and plain objects.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&Serializer::json_compatible()).map_err(|e| {
        let message = format!("value cannot be encoded: {}", message_of(&e.into()));
        js_error(&Error::new(ErrorKind::Decode, message))
    })
}

/// A deeply frozen JavaScript copy of `value`.
pub fn to_frozen<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    to_js(value).map(glue::deep_freeze)
}

/// Reads a `T` from a JavaScript value; `Err` says why it cannot be read.
pub fn read<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    T::deserialize(Deserializer::from(value)).map_err(|e| message_of(&e.into()))
}

/// Reads `what` from a JavaScript value; a mismatch is a `kind` error.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str, kind: ErrorKind) -> Result<T, Error> {
    read(value.clone()).map_err(|e| Error::new(kind, format!("{what} is not valid: {e}")))
}

/// The fields of a JavaScript object by name, each read as `Json` (`null` when absent).
pub fn fields(object: &JsValue) -> impl FnMut(&str) -> Result<Json, String> + '_ {
    move |name| js_sys::Reflect::get(object, &JsValue::from_str(name)).map_err(|e| message_of(&e)).and_then(read)
}

/// The message of a thrown JavaScript value.
pub fn message_of(thrown: &JsValue) -> String {
    js_sys::Reflect::get(thrown, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| String::from("unknown failure"))
}
