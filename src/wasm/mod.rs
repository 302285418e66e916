//! The WebAssembly shell: maps the core's outputs to `fetch`, `AbortController` and timers,
//! and exports the JavaScript API.

mod client;
mod convert;
mod glue;
mod poller;
mod transport;

#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");
