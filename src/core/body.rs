//! An answer's body as the shell holds it: its size is known before anything is read, and it is
//! parsed only when the core asks for the data.

use super::json::Json;

/// A body the core can read: text natively, the JavaScript string `fetch` gave in WebAssembly.
/// Two bodies are equal when their texts are.
pub trait Body: PartialEq + ToOwned {
    /// The values parsing makes.
    type Json: Json;
    /// The length of the text in UTF-8 bytes, when it is over `limit`.
    fn len_over(&self, limit: usize) -> Option<usize>;
    /// The text parsed as JSON, or why it is not JSON.
    fn parse(&self) -> Result<Self::Json, String>;
}
