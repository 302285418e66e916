//! The native side of the reader: answers and configuration as `serde_json` values, bodies as
//! text. Native tests, the simulation and the fuzz targets drive the core through it.

use crate::core::{Body, Json, Kind};
use serde_json::Value;

impl Json for Value {
    fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Bool,
            Value::Number(_) => Kind::Number,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    fn get(&self, key: &'static str) -> Option<Self> {
        self.as_object()?.get(key).cloned()
    }

    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        Some(self.as_object()?.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    fn text(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }
}

/// A body as text, parsed by `serde_json` as `JSON.parse` would read it: the last of duplicate
/// keys wins, `12.0` is the number 12. Unlike `JSON.parse`, it refuses numbers beyond `f64`
/// (`1e400`) and nesting deeper than 128 levels.
impl Body for str {
    type Json = Value;

    fn len_over(&self, limit: usize) -> Option<usize> {
        (self.len() > limit).then_some(self.len())
    }

    fn parse(&self) -> Result<Value, String> {
        serde_json::from_str(self).map_err(|e| e.to_string())
    }
}
