//! Crossing the boundary: core values to frozen JavaScript objects, core errors to `AskSeerError`s,
//! and JavaScript input to core types.

use super::glue;
use crate::core::{Error, ErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
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

/// A deeply frozen JavaScript copy of `value`.
pub fn to_frozen<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| js_error(&Error::new(ErrorKind::Decode, format!("value cannot be encoded: {e}"))))?;
    glue::parse_frozen(&text)
}

/// Reads `what` from a JavaScript value through its JSON form; a mismatch is a `kind` error.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str, kind: ErrorKind) -> Result<T, Error> {
    let text = glue::to_json(value)
        .map_err(|thrown| Error::new(kind, format!("{what} is not JSON data: {}", message_of(&thrown))))?;
    serde_json::from_str(text.as_deref().unwrap_or("null"))
        .map_err(|e| Error::new(kind, format!("{what} is not valid: {e}")))
}

/// The message of a thrown JavaScript value.
pub fn message_of(thrown: &JsValue) -> String {
    js_sys::Reflect::get(thrown, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| String::from("unknown failure"))
}
