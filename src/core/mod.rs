//! The sans-IO core: every decision of the client in plain Rust, with no web-sys and no clock.
//! A shell performs the I/O it asks for and hands it answers through the [`Body`] and [`Json`]
//! readers.

mod body;
mod config;
mod error;
mod fields;
mod json;
mod poller;
mod queries;
mod response;
mod retry_after;
mod run_id;
mod session;
mod snapshot;
mod text;

pub use crate::text;
pub use body::Body;
pub use config::{
    ClientConfigInput, DEFAULT_BASE_URL, DEFAULT_REFERRER, Endpoints, Headers, StartRequestInput, StartTemplate,
    Timings, TimingsInput, check_headers,
};
pub use error::{Error, ErrorKind};
pub use fields::{CLIENT_CONFIG, FETCH, Field, ON_ERROR, ON_SUCCESS, POLLER_CONFIG, START_REQUEST};
pub use json::{Json, Kind, MAX_SAFE_INTEGER};
pub use poller::{Command, Event, Method, Millis, Poller, Reply, Request, RequestId};
pub use queries::{Chart, Query, queries_of};
pub use response::{HttpResponse, MAX_BODY_BYTES, PollResult, PollResultView, decode_poll, decode_start};
pub use retry_after::{imf_fixdate, retry_after_ms};
pub use run_id::{RunId, pick_run_id, uuid_text};
pub use session::{Session, StateBody};
pub use snapshot::{PauseReason, Phase, Snapshot};
pub use text::Part;
/// The views whose TypeScript declarations `src/contract.rs` generates.
#[cfg(test)]
pub(crate) use {
    run_id::{RunIdKind, RunIdView},
    snapshot::View,
};
