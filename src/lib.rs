//! Ask Seer's search-agent client: start a run, poll it by its UUID (falling back to the
//! numeric id), and follow it to its end.
//!
//! [`core`] holds every decision as plain Rust driven by inputs and a virtual clock; on
//! `wasm32` a thin shell maps its outputs to `fetch`, `AbortController` and timers and
//! exports the JavaScript API. Natively, answers are text and `serde_json` values.

#[cfg(test)]
mod contract;
pub mod core;
mod native;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
