//! Properties of run-id selection, URL building and response decoding over generated ids,
//! slugs, base URLs and bodies.

#![cfg(not(target_arch = "wasm32"))]

use ask_seer_polling::core::{
    Endpoints, ErrorKind, HttpResponse, MAX_BODY_BYTES, MAX_SAFE_INTEGER, RunId, decode_poll, decode_start,
    imf_fixdate, pick_run_id, queries_of,
};
use proptest::prelude::*;
use serde_json::{Map, Value, json};
use uuid::Uuid;

const SLUG: &str = "acme";

/// A UUID written in one of the forms the uuid crate parses, with its canonical text.
fn uuid_in_any_form() -> impl Strategy<Value = (String, String)> {
    (any::<u128>(), 0..7u8).prop_map(|(bits, form)| {
        let uuid = Uuid::from_u128(bits);
        let hyphenated = uuid.hyphenated().to_string();
        let text = match form {
            0 => hyphenated.clone(),
            1 => hyphenated.to_uppercase(),
            2 => uuid.simple().to_string(),
            3 => uuid.simple().to_string().to_uppercase(),
            4 => uuid.braced().to_string(),
            5 => format!("{{{}}}", hyphenated.to_uppercase()),
            _ => uuid.urn().to_string(),
        };
        (text, hyphenated)
    })
}

/// Whether `n` is an integer in `1..=2^53-1`, whatever its spelling (`12.0` is `12`).
fn is_id(n: f64) -> bool {
    n.fract() == 0.0 && (1.0..=MAX_SAFE_INTEGER as f64).contains(&n)
}

/// A JSON number that is not an integer in `1..=2^53-1`.
fn not_an_id_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!(0)),
        Just(json!(MAX_SAFE_INTEGER + 1)),
        (i64::MIN..=0).prop_map(Value::from),
        (MAX_SAFE_INTEGER + 1..=u64::MAX).prop_map(Value::from),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity, and no id", |f| {
            serde_json::Number::from_f64(f).filter(|_| !is_id(f)).map(Value::Number)
        }),
        // Integers beyond u64 and large exponents, which JSON parsers read as floats.
        "[1-9][0-9]{20,30}|[1-9]e[2-9][0-9]|[1-9][0-9]{0,5}\\.[0-9]{0,4}[1-9]"
            .prop_filter_map("JSON numbers", |text| serde_json::from_str(&text).ok()),
    ]
}

/// A `run_id` field (`None` when absent) and the numeric id it must yield.
fn run_id_field() -> impl Strategy<Value = (Option<Value>, Option<u64>)> {
    prop_oneof![
        prop_oneof![Just(1), Just(MAX_SAFE_INTEGER), 1..=MAX_SAFE_INTEGER].prop_map(|id| (Some(json!(id)), Some(id))),
        not_an_id_number().prop_map(|v| (Some(v), None)),
        "[0-9]{1,6}".prop_map(|digits| (Some(json!(digits)), None)),
        Just((Some(Value::Null), None)),
        Just((Some(json!([4821])), None)),
        Just((None, None)),
    ]
}

/// A `sentry_run_id` field (`None` when absent) that holds no UUID: other strings, path
/// injections, UUIDs with a character too many or too few, and values of other types.
fn not_a_uuid_field() -> impl Strategy<Value = Option<Value>> {
    let near_miss = (uuid_in_any_form(), any::<bool>())
        .prop_map(|((text, _), longer)| if longer { format!("{text}0") } else { text.chars().skip(1).collect() });
    let text = prop_oneof![
        any::<String>(),
        "[./%a-fA-F0-9{}:-]{0,40}",
        "\\.\\./[a-z/]{0,10}|[0-9a-f-]{0,36}/\\.\\.|%2[eEfF]{1,3}",
        near_miss,
    ];
    prop_oneof![
        text.prop_filter("not a UUID", |t| Uuid::parse_str(t).is_err()).prop_map(|t| Some(Value::String(t))),
        any::<i64>().prop_map(|n| Some(json!(n))),
        Just(Some(Value::Null)),
        Just(Some(json!({"value": "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d"}))),
        Just(None),
    ]
}

fn start_body(sentry_run_id: Option<Value>, run_id: Option<Value>) -> Value {
    let mut body = Map::new();
    body.extend(sentry_run_id.map(|v| ("sentry_run_id".to_owned(), v)));
    body.extend(run_id.map(|v| ("run_id".to_owned(), v)));
    Value::Object(body)
}

fn state_url(id: &str) -> String {
    format!("/api/0/organizations/{SLUG}/search-agent/state/{id}/")
}

/// The id text a caller may pass, as the state URL must carry it; `None` when it is no id.
fn canonical_id(text: &str) -> Option<String> {
    if let Ok(uuid) = Uuid::parse_str(text) {
        return Some(uuid.hyphenated().to_string());
    }
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    let id = text.parse::<u64>().ok().filter(|id| digits && (1..=MAX_SAFE_INTEGER).contains(id))?;
    Some(id.to_string())
}

fn slugs() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_-]{1,20}",
        "[A-Za-z0-9_./%?#~ -]{0,12}",
        "\\.\\.|\\.|a/\\.\\./b|%2[eEfF]|acme/|/acme|acme\\?x=1|acme#top|acme\u{0}",
        any::<String>(),
    ]
}

fn base_urls() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        "(https?://[a-z0-9.]{1,12}(:[0-9]{1,5})?)?(/[A-Za-z0-9._~%-]{0,8}){0,3}/{0,3}".prop_map(Some),
        "[ -~\t\n\r\u{0}\u{7f}\u{85}\u{a0}\u{2028}]{0,20}".prop_map(Some),
        any::<String>().prop_map(Some),
    ]
}

fn id_texts() -> impl Strategy<Value = String> {
    prop_oneof![
        uuid_in_any_form().prop_map(|(text, _)| text),
        "[0-9]{1,20}",
        "0{1,30}[0-9]{1,16}",
        "[-+0-9a-fA-F{}:.urn/%]{0,45}",
        "\\.\\./[a-z0-9/]{0,12}|[0-9]{1,4}/\\.\\.|[0-9]{1,4}%2[fF]|[0-9]{1,4}\\?x|[0-9]{1,4}#",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// A UUID in any accepted form wins over whatever `run_id` holds and is normalised to
    /// lowercase hyphenated, in the id and in the URL.
    #[test]
    fn uuid_in_any_form_wins((text, canonical) in uuid_in_any_form(), (run_id, numeric) in run_id_field()) {
        let id = pick_run_id(&start_body(Some(Value::String(text)), run_id)).unwrap();
        prop_assert!(id.is_uuid());
        prop_assert_eq!(id.to_string(), canonical.clone());
        prop_assert_eq!(id.numeric_run_id(), numeric);
        prop_assert_eq!(Endpoints::new(SLUG, None).unwrap().state_url(&id), state_url(&canonical));
    }

    /// A `sentry_run_id` that is no UUID never reaches a URL: the URL carries the numeric id,
    /// or there is a `missing_run_id` error.
    #[test]
    fn non_uuid_sentry_run_id_never_reaches_a_url(sentry_run_id in not_a_uuid_field(), (run_id, numeric) in run_id_field()) {
        match (pick_run_id(&start_body(sentry_run_id, run_id)), numeric) {
            (Ok(id), Some(numeric)) => {
                prop_assert!(!id.is_uuid());
                prop_assert_eq!(id.numeric_run_id(), Some(numeric));
                let url = Endpoints::new(SLUG, None).unwrap().state_url(&id);
                prop_assert_eq!(url, state_url(&numeric.to_string()));
            }
            (Err(error), None) => prop_assert_eq!(error.kind, ErrorKind::MissingRunId),
            (picked, numeric) => return Err(TestCaseError::fail(format!("picked {picked:?} where {numeric:?} was due"))),
        }
    }

    /// Numbers outside `1..=2^53-1` and non-integers never become ids, however they arrive.
    #[test]
    fn unsafe_or_fractional_numbers_never_become_ids(number in not_an_id_number()) {
        prop_assert_eq!(pick_run_id(&json!({"run_id": number})).unwrap_err().kind, ErrorKind::MissingRunId);
        prop_assert_eq!(RunId::from_json(&number).unwrap_err().kind, ErrorKind::InvalidRunId);
        prop_assert_eq!(RunId::parse(&number.to_string()).unwrap_err().kind, ErrorKind::InvalidRunId);
    }

    /// Integers in `1..=2^53-1` are ids, however they arrive.
    #[test]
    fn safe_integers_are_ids(id in prop_oneof![Just(1), Just(MAX_SAFE_INTEGER), 1..=MAX_SAFE_INTEGER]) {
        prop_assert_eq!(pick_run_id(&json!({"run_id": id})).unwrap().to_string(), id.to_string());
        prop_assert_eq!(RunId::from_json(&json!(id)).unwrap().to_string(), id.to_string());
        prop_assert_eq!(RunId::parse(&id.to_string()).unwrap().to_string(), id.to_string());
        // `JSON.parse` reads `12.0` and `1.2e1` as `12`; natively they are the same id.
        for spelling in [format!("{id}.0"), format!("{id}e0"), format!("{id}.000E+0")] {
            let body = format!(r#"{{"run_id": {spelling}}}"#);
            prop_assert_eq!(decode_start(HttpResponse { status: 200, body: body.as_str() }).unwrap().to_string(), id.to_string());
        }
    }

    /// A `Retry-After` HTTP date is read exactly as httpdate reads an IMF-fixdate, and any
    /// other date form is refused.
    #[test]
    fn imf_fixdates_read_as_httpdate_reads_them(seconds in 0..253_402_300_800u64, mangle in 0..4u8) {
        let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
        let text = httpdate::fmt_http_date(time);
        prop_assert_eq!(imf_fixdate(&text), Some(seconds));
        let other = match mangle {
            0 => text.replacen(", ", " ", 1),
            1 => text.replace(" GMT", " UTC"),
            2 => text.to_lowercase(),
            _ => text.replacen(' ', "  ", 1),
        };
        prop_assert_eq!(imf_fixdate(&other), None, "{}", other);
        prop_assert_eq!(imf_fixdate(&other).is_some(), httpdate::parse_http_date(&other).is_ok() && other == text);
    }

    /// Every URL built stays under `{baseUrl}/organizations/{slug}/search-agent/`: construction
    /// fails with `invalid_config` or `invalid_run_id`, or the URL has the exact shape.
    #[test]
    fn urls_stay_under_the_search_agent_prefix(slug in slugs(), base in base_urls(), id in id_texts()) {
        let slug_ok = !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let base_ok = base.as_deref().is_none_or(|b| !b.chars().any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#'));
        let endpoints = match Endpoints::new(&slug, base.as_deref()) {
            Ok(endpoints) => endpoints,
            Err(error) => {
                prop_assert_eq!(error.kind, ErrorKind::InvalidConfig);
                prop_assert!(!slug_ok || !base_ok, "refused slug {:?} and base {:?}", slug, base);
                return Ok(());
            }
        };
        prop_assert!(slug_ok && base_ok, "accepted slug {:?} and base {:?}", slug, base);
        let prefix = format!("{}/organizations/{slug}/search-agent/", base.as_deref().unwrap_or("/api/0").trim_end_matches('/'));
        prop_assert_eq!(endpoints.start_url(), format!("{prefix}start/"));
        match (RunId::parse(&id), canonical_id(&id)) {
            (Ok(run_id), Some(canonical)) => {
                prop_assert_eq!(endpoints.state_url(&run_id), format!("{prefix}state/{canonical}/"));
            }
            (Err(error), None) => prop_assert_eq!(error.kind, ErrorKind::InvalidRunId),
            (parsed, canonical) => {
                return Err(TestCaseError::fail(format!("{id:?} parsed to {parsed:?} where {canonical:?} was due")));
            }
        }
    }
}

/// What decoding a state body answered with 2xx must give.
#[derive(Clone, Debug, PartialEq)]
enum Decoded {
    /// A `decode` error.
    Refused,
    /// A session with this status, or `None` for `"session": null`.
    Session(Option<String>),
}

/// A state body a server or a proxy in between might send, labelled with its fault.
fn state_bodies() -> impl Strategy<Value = (&'static str, String, Decoded)> {
    const FULL: &str = r#"{"session": {"status": "processing", "current_step": {"key": "a"}}}"#;
    let refused = |fault: &'static str, body: String| (fault, body, Decoded::Refused);
    prop_oneof![
        (0..FULL.len()).prop_map(move |cut| refused("malformed JSON", FULL.chars().take(cut).collect())),
        "null|true|4821|\"processing\"|\\[\\]|\\[\\{\"session\": null\\}\\]"
            .prop_map(move |b| refused("non-object JSON", b)),
        "[ \t\r\n]{0,4}".prop_map(move |b| refused("empty body", b)),
        "<(!DOCTYPE html|html)>[^{]{0,40}".prop_map(move |b| refused("HTML error page", b)),
        prop_oneof![
            Just(r#"{"session": {"status": 1}}"#),
            Just(r#"{"session": {}}"#),
            Just(r#"{"session": "processing"}"#),
            Just(r#"{"session": ["processing"]}"#),
            Just(r#"{"session": {"status": "completed", "current_step": ["a"]}}"#),
            Just(r#"{"session": {"status": "completed", "completed_steps": [["a"]]}}"#),
            Just(r#"{"session": {"status": "processing", "current_step": "a"}}"#),
            Just(r#"{"session": {"status": "completed", "final_response": "q"}}"#),
            Just(r#"{"session": {"status": "completed", "completed_steps": [1]}}"#),
        ]
        .prop_map(move |b| refused("wrong field types", b.to_owned())),
        "[a-z_]{1,12}".prop_filter("not processing", |s| s != "processing").prop_map(|status| {
            ("unknown status", json!({"session": {"status": status}}).to_string(), Decoded::Session(Some(status)))
        }),
        Just(("null session", r#"{"session": null}"#.to_owned(), Decoded::Session(None))),
        Just(("null session", "{}".to_owned(), Decoded::Session(None))),
    ]
}

fn nested(depth: usize) -> String {
    format!(
        r#"{{"session": {{"status": "completed", "final_response": {{"a": {}1{}}}}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    /// Faulty state bodies are `decode` errors on 2xx and `http` errors carrying the status
    /// otherwise; they never panic.
    #[test]
    fn faulty_state_bodies_are_classified((fault, body, expected) in state_bodies(), status in prop_oneof![200..300u16, 100..600u16]) {
        let decoded = decode_poll(HttpResponse { status, body: body.as_str() });
        if (200..300).contains(&status) {
            let decoded = decoded.map(|r| Decoded::Session(r.session.map(|s| s.status))).map_err(|e| e.kind);
            let expected = match expected {
                Decoded::Refused => Err(ErrorKind::Decode),
                session => Ok(session),
            };
            prop_assert_eq!(decoded, expected, "{}: {:?}", fault, body);
        } else {
            let error = decoded.unwrap_err();
            prop_assert_eq!((error.kind, error.status), (ErrorKind::Http, Some(status)), "{}: {:?}", fault, body);
        }
    }

    /// The same bodies as start answers give no run id: `decode` when they are no object,
    /// `missing_run_id` when they are, `http` (and no retry token) when the status says so.
    #[test]
    fn faulty_start_bodies_give_no_run_id((fault, body, _) in state_bodies(), status in prop_oneof![200..300u16, 100..600u16]) {
        let failure = decode_start(HttpResponse { status, body: body.as_str() }).unwrap_err();
        prop_assert_eq!(failure.retry_token, None);
        let expected = match serde_json::from_str::<Value>(&body) {
            _ if !(200..300).contains(&status) => ErrorKind::Http,
            Ok(Value::Object(_)) => ErrorKind::MissingRunId,
            _ => ErrorKind::Decode,
        };
        prop_assert_eq!(failure.error.kind, expected, "{}: {:?}", fault, body);
    }

    /// Nesting never overflows the stack: shallow bodies decode, deep ones are `decode` errors.
    #[test]
    fn deeply_nested_json_is_decoded_or_refused(depth in prop_oneof![0..100usize, 200..20_000usize]) {
        let decoded = decode_poll(HttpResponse { status: 200, body: nested(depth).as_str() });
        if depth < 100 {
            prop_assert_eq!(decoded.unwrap().session.map(|s| s.status), Some("completed".to_owned()));
        } else {
            prop_assert_eq!(decoded.unwrap_err().kind, ErrorKind::Decode);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// Bodies over the size limit are refused before parsing; the limit itself is accepted.
    #[test]
    fn huge_bodies_are_refused(over in 0..64usize) {
        let session = r#"{"session": {"status": "processing"}, "padding": ""}"#;
        let padded = |len: usize| session.replace(r#""padding": """#, &format!(r#""padding": "{}""#, "a".repeat(len - session.len())));
        let at_limit = padded(MAX_BODY_BYTES);
        let decoded = decode_poll(HttpResponse { status: 200, body: at_limit.as_str() }).unwrap();
        prop_assert!(decoded.keep_polling);
        let over_limit = padded(MAX_BODY_BYTES + 1 + over);
        prop_assert_eq!(decode_poll(HttpResponse { status: 200, body: over_limit.as_str() }).unwrap_err().kind, ErrorKind::Decode);
        prop_assert_eq!(decode_start(HttpResponse { status: 200, body: over_limit.as_str() }).unwrap_err().error.kind, ErrorKind::Decode);
    }
}

/// JSON values near the shapes of `final_response`: the known keys with values of any type.
fn final_responses() -> impl Strategy<Value = Value> {
    let keys = prop_oneof![
        Just("responses"),
        Just("query"),
        Just("group_by"),
        Just("groupBys"),
        Just("visualization"),
        Just("visualizations"),
        Just("chart_type"),
        Just("chartType"),
        Just("y_axes"),
        Just("yAxes"),
        Just("interval"),
        Just("result_count"),
        Just("stats_period"),
        Just("sort"),
        Just("other"),
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        "[a-z:*>. ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// `queries_of` never panics, and each query it finds is a string `query` of the input, in order.
    #[test]
    fn queries_of_never_panics(value in final_responses()) {
        let queries = queries_of(&value);
        let sent: Vec<&str> = match value.get("responses") {
            Some(Value::Array(responses)) => responses.iter().filter_map(|r| r.get("query")?.as_str()).collect(),
            _ => value.get("query").and_then(Value::as_str).into_iter().collect(),
        };
        prop_assert_eq!(queries.iter().map(|q| q.query.as_str()).collect::<Vec<_>>(), sent);
    }
}
