//! The sans-IO core: every decision of the client in plain Rust, with no web-sys and no clock.
//! The wasm shell performs the I/O it asks for.

pub mod body;
pub mod config;
pub mod error;
pub mod fields;
pub mod json;
pub mod poller;
pub mod queries;
pub mod response;
pub mod retry_after;
pub mod run_id;
pub mod session;
pub mod snapshot;

pub use body::Body;
pub use config::{ClientConfigInput, Endpoints, StartRequestInput, StartTemplate, Timings, TimingsInput};
pub use error::{Error, ErrorKind};
pub use json::{Json, Kind};
pub use poller::{Action, Method, Millis, Poller, Reply, Request, RequestId};
pub use queries::{Query, queries_of};
pub use response::{HttpResponse, MAX_BODY_BYTES, PollResult, PollResultView, decode_poll, decode_start};
pub use run_id::{RunId, pick_run_id};
pub use session::Session;
pub use snapshot::{PauseReason, Phase, Snapshot};
