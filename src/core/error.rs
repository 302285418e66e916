//! Typed failures: what went wrong, with the HTTP status and the server's `detail` when there is one.

use crate::text;
use serde::{Serialize, Serializer};
use std::fmt;

/// The class of a failure, as JavaScript sees it in `error.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerErrorKind", rename_all = "snake_case"))]
pub enum ErrorKind {
    /// The start response carried neither a usable `sentry_run_id` nor a usable `run_id`.
    MissingRunId,
    /// The configuration or request cannot be sent as given.
    InvalidConfig,
    /// A run id is neither a UUID nor a positive safe integer.
    InvalidRunId,
    /// The server answered with a non-2xx status.
    Http,
    /// The request never got an answer: `fetch` threw.
    Network,
    /// The request got no answer within `requestTimeoutMs` and was aborted.
    RequestTimeout,
    /// A 2xx body could not be decoded.
    Decode,
    /// The caller aborted the request.
    Aborted,
    /// The run went stale or outlived its time budget.
    Timeout,
}

impl ErrorKind {
    /// The `snake_case` name used in JavaScript (`src/contract.rs` checks it against the declaration).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingRunId => "missing_run_id",
            Self::InvalidConfig => "invalid_config",
            Self::InvalidRunId => "invalid_run_id",
            Self::Http => "http",
            Self::Network => "network",
            Self::RequestTimeout => "request_timeout",
            Self::Decode => "decode",
            Self::Aborted => "aborted",
            Self::Timeout => "timeout",
        }
    }
}

/// Serialized by its name, as the hand-written `as_str` spells it: a derived `Serialize` makes the
/// wasm larger.
/// Written as its name, as a unit variant (see `Phase`).
impl Serialize for ErrorKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("ErrorKind", 0, self.as_str())
    }
}

/// A failure with everything a caller needs to explain it (`AskSeerErrorInfo` in JavaScript).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "AskSeerErrorInfo"))]
pub struct Error {
    /// The class of failure.
    pub kind: ErrorKind,
    /// A sentence saying what happened.
    pub message: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The server's `detail` string, when it sent one.
    pub detail: Option<String>,
}

impl Error {
    /// A failure of `kind` with no HTTP status.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), status: None, detail: None }
    }

    /// A non-2xx answer.
    #[cold]
    pub fn http(status: u16, detail: Option<String>, what: &str) -> Self {
        let mut message = text![what, " failed with HTTP ", status];
        if let Some(detail) = &detail {
            message.push_str(": ");
            message.push_str(detail);
        }
        Self { kind: ErrorKind::Http, message, status: Some(status), detail }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
