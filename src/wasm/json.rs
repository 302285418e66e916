//! The reader over JavaScript values: the core reads answers and configuration where they lie,
//! one own property at a time, and what it passes through stays the object `JSON.parse` made.

use super::glue;
use crate::core::{Json, Kind};
use js_sys::Array;
use serde::{Serialize, Serializer};
use std::cell::Cell;
use wasm_bindgen::JsValue;

/// A JavaScript value read as JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct JsJson(pub JsValue);

thread_local! {
    /// The property names read so far as JavaScript strings, found by the address of their
    /// text: each is made once rather than decoded on every read.
    static KEYS: Cell<Vec<(usize, JsValue)>> = const { Cell::new(Vec::new()) };
}

/// `name` as a JavaScript string, made once.
fn js_key(name: &'static str) -> JsValue {
    let address = name.as_ptr() as usize;
    let cached = KEYS.try_with(|cell| {
        let mut keys = cell.take();
        let key = match keys.iter().find(|(at, _)| *at == address) {
            Some((_, key)) => key.clone(),
            None => {
                let key = JsValue::from_str(name);
                keys.push((address, key.clone()));
                key
            }
        };
        cell.set(keys);
        key
    });
    // Without the cache (its thread torn down), a fresh string: no access panics.
    cached.unwrap_or_else(|_| JsValue::from_str(name))
}

impl Json for JsJson {
    fn kind(&self) -> Kind {
        match glue::kind_of(&self.0) {
            0 => Kind::Null,
            1 => Kind::Bool,
            2 => Kind::Number,
            3 => Kind::String,
            4 => Kind::Array,
            5 => Kind::Object,
            _ => Kind::Other,
        }
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        let value = glue::own_field(&self.0, &js_key(key));
        (!value.is_undefined()).then_some(Self(value))
    }

    fn string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        Array::is_array(&self.0).then(|| Array::from(&self.0).iter().map(Self).collect())
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        if self.kind() != Kind::Object {
            return None;
        }
        let entries = glue::own_entries(&self.0).ok()?;
        entries
            .iter()
            .map(|entry| {
                let entry = Array::from(&entry);
                Some((entry.get(0).as_string()?, Self(entry.get(1))))
            })
            .collect()
    }

    fn text(&self) -> Result<String, String> {
        glue::stringify(&self.0).map_err(|thrown| glue::message_of(&thrown))
    }
}

/// Passed through as the JavaScript value itself by serde-wasm-bindgen's serializer.
impl Serialize for JsJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, serializer)
    }
}
