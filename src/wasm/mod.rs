//! The WebAssembly shell: maps the core's outputs to `fetch`, `AbortController` and timers,
//! and exports the JavaScript API.

mod client;
mod convert;
mod glue;
mod json;
mod poller;
mod transport;

pub use client::{is_ask_seer_error, pick_run_id_js, poll, queries_of_js, start};
pub use poller::AskSeerPoller;

/// talc: a smaller allocator than the default dlmalloc, growing wasm memory as needed.
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The declarations of the values Rust hands to JavaScript, generated from the Rust types (`src/contract.rs`).
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const CONTRACT: &str = include_str!("../../js/src/contract.d.ts");

/// The server's data the package passes through, and the configuration, declared in TypeScript.
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const SERVER: &str = include_str!("../../js/src/server.d.ts");
