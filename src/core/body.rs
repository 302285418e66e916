//! An answer's body as the shell holds it, read into the client's types.
//!
//! Natively the text is parsed by serde_json; in WebAssembly the shell hands over the text
//! together with what `JSON.parse` makes of it, read with serde-wasm-bindgen. Either way the
//! body is read into [`Json`] first, and the client's types from that.

use super::json::Json;
use super::session::StateBody;

/// A body the core can read.
pub trait Body {
    /// The text, cut just past [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES) when longer.
    fn text(&self) -> &str;
    /// The body as JSON data, or why it is not JSON.
    fn json(&self) -> Result<Json, String>;
    /// The body as a state answer, or why it is not one.
    fn state(&self) -> Result<StateBody, String> {
        StateBody::from_json(self.json()?)
    }
}

impl std::fmt::Debug for dyn Body + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// The body as the shell passes it to the core: text natively, the shell's own type in WebAssembly.
#[cfg(not(target_arch = "wasm32"))]
pub type BodyText = str;
/// The body as the shell passes it to the core: text natively, the shell's own type in WebAssembly.
#[cfg(target_arch = "wasm32")]
pub type BodyText = dyn Body;

/// Natively: parsed by serde_json into [`Json`] first, as `JSON.parse` would (the last of
/// duplicate keys wins, 128 levels at most), then read into the types.
#[cfg(not(target_arch = "wasm32"))]
impl Body for str {
    fn text(&self) -> &str {
        self
    }

    fn json(&self) -> Result<Json, String> {
        serde_json::from_str(self).map_err(|e| e.to_string())
    }
}
