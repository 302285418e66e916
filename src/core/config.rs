//! Validated configuration: where requests go, what the start request carries, and the poller's timings.
//! Nothing is sent until all of it checks out.

use super::error::{Error, ErrorKind};
use super::fields::{
    BASE_URL, ERROR_POLL_INTERVAL_MS, MAX_ERROR_WINDOW_MS, MAX_RUN_MS, ORG_SLUG, POLL_INTERVAL_MS, REQUEST_TIMEOUT_MS,
    STALE_AFTER_MS,
};
use super::json::{MAX_SAFE_INTEGER, Number, Quoted};
use super::run_id::RunId;
use super::text::Part;
use crate::text;

/// The base URL used when none is configured.
pub const DEFAULT_BASE_URL: &str = "/api/0";
/// The referrer sent when none is configured.
pub const DEFAULT_REFERRER: &str = "search_bar";

#[cold]
fn refused(message: String) -> Error {
    Error::new(ErrorKind::InvalidConfig, message)
}

/// `ClientConfig` as JavaScript passes it (the `fetch` function is read by the shell).
#[derive(Debug, Default)]
pub struct ClientConfigInput {
    /// The organization's slug.
    pub org_slug: String,
    /// Prefix of every URL, `/api/0` unless given.
    pub base_url: Option<String>,
    /// Headers sent with every request.
    pub headers: Option<Headers>,
}

/// Header names and values, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

/// The URLs of one organization's search agent. Every URL built stays under
/// `{baseUrl}/organizations/{orgSlug}/search-agent/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    prefix: String,
}

impl Endpoints {
    /// Checks the slug (`[A-Za-z0-9_-]+`) and the base URL (no query, fragment, whitespace or control characters).
    pub fn new(org_slug: &str, base_url: Option<&str>) -> Result<Self, Error> {
        let slug_ok =
            !org_slug.is_empty() && org_slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !slug_ok {
            return Err(refused(text![
                ORG_SLUG.name,
                " ",
                Quoted(org_slug),
                " must be non-empty and use only letters, digits, '-' and '_'"
            ]));
        }
        let base = base_url.unwrap_or(DEFAULT_BASE_URL);
        if base.chars().any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#') {
            return Err(refused(text![
                BASE_URL.name,
                " ",
                Quoted(base),
                " must not contain whitespace, control characters, '?' or '#'"
            ]));
        }
        let base = base.trim_end_matches('/');
        Ok(Self { prefix: text![base, "/organizations/", org_slug, "/search-agent/"] })
    }

    /// `POST` target that starts a run.
    pub fn start_url(&self) -> String {
        text![self.prefix, "start/"]
    }

    /// `GET` target that reports a run's state.
    pub fn state_url(&self, run_id: &RunId) -> String {
        text![self.prefix, "state/", run_id, "/"]
    }
}

/// Header names and values `fetch` accepts, checked before anything is sent.
pub fn check_headers(headers: &Headers) -> Result<(), Error> {
    const SEPARATORS: &[u8] = b"!#$%&'*+-.^_`|~";
    for (name, value) in &headers.0 {
        let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || SEPARATORS.contains(&b));
        if !name_ok {
            return Err(refused(text!["header name ", Quoted(name), " is not a valid HTTP token"]));
        }
        if value.chars().any(|c| matches!(c, '\r' | '\n' | '\0')) {
            return Err(refused(text!["header ", Quoted(name), " has a line break or NUL in its value"]));
        }
    }
    Ok(())
}

/// `StartRequest` as JavaScript passes it.
#[derive(Debug, Default)]
pub struct StartRequestInput {
    /// The question in natural language.
    pub query: String,
    /// The projects to search; `-1` means all projects.
    pub project_ids: Vec<f64>,
    /// The dataset strategy, such as `Traces`.
    pub strategy: String,
    /// Where the question was asked from, `search_bar` unless given.
    pub referrer: Option<String>,
    /// Extra options passed to the agent: a JSON object's text.
    pub options: Option<String>,
}

/// Everything of a start request but the question, checked once.
#[derive(Clone, Debug, PartialEq)]
pub struct StartTemplate {
    project_ids: Vec<i64>,
    strategy: String,
    referrer: String,
    options: Option<String>,
}

impl StartTemplate {
    /// Checks that every project id is an integer JavaScript represents exactly.
    pub fn new(input: StartRequestInput) -> Result<Self, Error> {
        let limit = MAX_SAFE_INTEGER as f64;
        let project_ids = input
            .project_ids
            .iter()
            .map(|&id| {
                if id.fract() == 0.0 && id.abs() <= limit {
                    Ok(id as i64)
                } else {
                    Err(refused(text!["projectIds must hold safe integers, got ", Number(id)]))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            project_ids,
            strategy: input.strategy,
            referrer: input.referrer.unwrap_or_else(|| DEFAULT_REFERRER.to_owned()),
            options: input.options,
        })
    }

    /// The JSON body that asks the agent `query`; `options` go as their text was written.
    pub fn body(&self, query: &str) -> String {
        let mut body = text![r#"{"natural_language_query":"#, Quoted(query), r#","project_ids":["#];
        for (i, id) in self.project_ids.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            id.put(&mut body);
        }
        body.push_str(r#"],"strategy":"#);
        Quoted(&self.strategy).put(&mut body);
        body.push_str(r#","referrer":"#);
        Quoted(&self.referrer).put(&mut body);
        if let Some(options) = &self.options {
            body.push_str(r#","options":"#);
            body.push_str(options);
        }
        body.push('}');
        body
    }
}

/// The poller's timings as JavaScript passes them, in milliseconds.
#[derive(Debug, Default)]
pub struct TimingsInput {
    pub(crate) poll_interval_ms: Option<f64>,
    pub(crate) error_poll_interval_ms: Option<f64>,
    pub(crate) max_error_window_ms: Option<f64>,
    pub(crate) stale_after_ms: Option<f64>,
    pub(crate) max_run_ms: Option<f64>,
    pub(crate) request_timeout_ms: Option<f64>,
    pub(crate) pause_when_hidden: Option<bool>,
}

/// The poller's timings, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// Wait between a handled answer and the next poll.
    pub poll_interval: u64,
    /// Wait between polls while they fail transiently.
    pub error_poll_interval: u64,
    /// How long polls may keep failing before the run gives up.
    pub max_error_window: u64,
    /// How long a processing run may go without a new `updated_at`.
    pub stale_after: u64,
    /// How long a whole run may take.
    pub max_run: u64,
    /// How long one request may go unanswered.
    pub request_timeout: u64,
    /// Whether polling pauses while the page is hidden.
    pub pause_when_hidden: bool,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            poll_interval: 500,
            error_poll_interval: 2_500,
            max_error_window: 60_000,
            stale_after: 120_000,
            max_run: 300_000,
            request_timeout: 30_000,
            pause_when_hidden: true,
        }
    }
}

impl Timings {
    /// The longest wait a JavaScript timer supports.
    pub const MAX_MS: u64 = i32::MAX as u64;

    /// Applies the given timings over the defaults, checking each.
    pub fn new(input: &TimingsInput) -> Result<Self, Error> {
        let d = Self::default();
        Ok(Self {
            poll_interval: milliseconds(POLL_INTERVAL_MS.name, input.poll_interval_ms, d.poll_interval, 0)?,
            error_poll_interval: milliseconds(
                ERROR_POLL_INTERVAL_MS.name,
                input.error_poll_interval_ms,
                d.error_poll_interval,
                0,
            )?,
            max_error_window: milliseconds(MAX_ERROR_WINDOW_MS.name, input.max_error_window_ms, d.max_error_window, 0)?,
            stale_after: milliseconds(STALE_AFTER_MS.name, input.stale_after_ms, d.stale_after, 0)?,
            max_run: milliseconds(MAX_RUN_MS.name, input.max_run_ms, d.max_run, 0)?,
            // A request must get at least a millisecond, or every request would time out as it is sent.
            request_timeout: milliseconds(REQUEST_TIMEOUT_MS.name, input.request_timeout_ms, d.request_timeout, 1)?,
            pause_when_hidden: input.pause_when_hidden.unwrap_or(d.pause_when_hidden),
        })
    }
}

fn milliseconds(name: &str, value: Option<f64>, default: u64, min: u64) -> Result<u64, Error> {
    match value {
        None => Ok(default),
        Some(v) if v.is_finite() && (min as f64..=Timings::MAX_MS as f64).contains(&v) => Ok(v.round() as u64),
        Some(v) => Err(refused(text![
            name,
            " must be a number of milliseconds from ",
            min,
            " to ",
            Timings::MAX_MS,
            ", got ",
            Number(v)
        ])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let e = Endpoints::new("acme", None).unwrap();
        assert_eq!(e.start_url(), "/api/0/organizations/acme/search-agent/start/");
        let id = RunId::parse("5D0C8A4E-2B1F-4E7A-9C3D-6F8E1A2B3C4D").unwrap();
        assert_eq!(
            e.state_url(&id),
            "/api/0/organizations/acme/search-agent/state/5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d/"
        );
        let e = Endpoints::new("my_org-2", Some("http://127.0.0.1:9/api/0//")).unwrap();
        assert_eq!(
            e.state_url(&RunId::from_numeric(42).unwrap()),
            "http://127.0.0.1:9/api/0/organizations/my_org-2/search-agent/state/42/"
        );
    }

    #[test]
    fn bad_slugs_and_base_urls() {
        for slug in ["", "a/b", "..", "a b", "a%2F", "é", "a?b"] {
            assert_eq!(Endpoints::new(slug, None).unwrap_err().kind, ErrorKind::InvalidConfig, "{slug}");
        }
        for base in ["/api?x=", "/api#", "/a pi", "/api\n"] {
            assert_eq!(Endpoints::new("acme", Some(base)).unwrap_err().kind, ErrorKind::InvalidConfig, "{base}");
        }
    }

    #[test]
    fn start_body() {
        let input = StartRequestInput {
            query: String::new(),
            project_ids: vec![1.0, -1.0],
            strategy: "Traces".into(),
            referrer: None,
            options: None,
        };
        let body = StartTemplate::new(input).unwrap().body("slow \"spans\"");
        assert_eq!(
            body,
            r#"{"natural_language_query":"slow \"spans\"","project_ids":[1,-1],"strategy":"Traces","referrer":"search_bar"}"#
        );
        let input = StartRequestInput {
            project_ids: vec![],
            strategy: "Logs".into(),
            referrer: Some("r".into()),
            options: Some(r#"{"model":"x"}"#.into()),
            ..Default::default()
        };
        let body = StartTemplate::new(input).unwrap().body("q");
        assert!(body.ends_with(r#""referrer":"r","options":{"model":"x"}}"#), "{body}");
    }

    #[test]
    fn non_integer_project_ids_are_refused() {
        for id in [1.5, f64::NAN, f64::INFINITY, 2f64.powi(53)] {
            let input = StartRequestInput { project_ids: vec![id], strategy: "Traces".into(), ..Default::default() };
            assert_eq!(StartTemplate::new(input).unwrap_err().kind, ErrorKind::InvalidConfig, "{id}");
        }
    }

    #[test]
    fn timings() {
        assert_eq!(Timings::new(&TimingsInput::default()).unwrap(), Timings::default());
        let t = Timings::new(&TimingsInput { poll_interval_ms: Some(0.0), ..Default::default() }).unwrap();
        assert_eq!(t.poll_interval, 0);
        let zero = TimingsInput { request_timeout_ms: Some(0.0), ..Default::default() };
        assert!(
            Timings::new(&zero)
                .unwrap_err()
                .message
                .starts_with("requestTimeoutMs must be a number of milliseconds from 1")
        );
        for bad in [-1.0, f64::NAN, f64::INFINITY, 1e12] {
            let input = TimingsInput { max_run_ms: Some(bad), ..Default::default() };
            assert!(Timings::new(&input).unwrap_err().message.starts_with("maxRunMs"), "{bad}");
        }
    }

    #[test]
    fn headers() {
        let ok = Headers(vec![("X-Token".to_owned(), "a b".to_owned())]);
        assert!(check_headers(&ok).is_ok());
        for (name, value) in [("", "x"), ("a b", "x"), ("a:", "x"), ("x", "a\r\nb")] {
            let bad = Headers(vec![(name.to_owned(), value.to_owned())]);
            assert_eq!(check_headers(&bad).unwrap_err().kind, ErrorKind::InvalidConfig, "{name}");
        }
    }
}
