//! Run-id selection: the UUID (`sentry_run_id`) first, the numeric `run_id` second.

use super::error::{Error, ErrorKind};
use super::json::MAX_SAFE_INTEGER;
use super::json::{Json, Kind, Number, Quoted, safe_integer};
use super::text::Part;
use crate::text;
use serde::{Serialize, Serializer};
use std::fmt;
use uuid::Uuid;

/// The id a run is polled by, keeping both ids the server handed out.
///
/// At least one id is always present; the UUID is preferred whenever it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunId {
    sentry_run_id: Option<Uuid>,
    numeric_run_id: Option<u64>,
}

impl RunId {
    /// A run known by its UUID, and by its numeric id when the server sent one.
    pub fn from_uuid(uuid: Uuid, numeric_run_id: Option<u64>) -> Self {
        Self { sentry_run_id: Some(uuid), numeric_run_id: numeric_run_id.filter(|&id| is_numeric_id(id)) }
    }

    /// A run known only by its numeric id, or `None` when `id` is outside `1..=2^53-1`.
    pub fn from_numeric(id: u64) -> Option<Self> {
        is_numeric_id(id).then_some(Self { sentry_run_id: None, numeric_run_id: Some(id) })
    }

    /// The UUID, when the server sent one.
    pub fn sentry_run_id(&self) -> Option<Uuid> {
        self.sentry_run_id
    }

    /// The numeric id, when the server sent one.
    pub fn numeric_run_id(&self) -> Option<u64> {
        self.numeric_run_id
    }

    /// Whether the run is polled by its UUID.
    pub fn is_uuid(&self) -> bool {
        self.sentry_run_id.is_some()
    }

    /// The same run, now also known by `uuid`, which it is polled by from now on.
    pub fn with_uuid(&self, uuid: Uuid) -> Self {
        Self::from_uuid(uuid, self.numeric_run_id)
    }

    /// Parses what a caller passes as a run id: a UUID in any form the uuid crate accepts,
    /// or a positive integer written in decimal digits.
    pub fn parse(text: &str) -> Result<Self, Error> {
        if let Ok(uuid) = Uuid::try_parse(text) {
            return Ok(Self::from_uuid(uuid, None));
        }
        let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| text.parse().ok()).flatten().and_then(Self::from_numeric).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidRunId,
                text!["run id ", FoundString(text), " is neither a UUID nor a positive integer"],
            )
        })
    }

    /// Reads a run id from a JSON value: a `RunId` object, a string or a number.
    pub fn from_json<J: Json>(value: &J) -> Result<Self, Error> {
        match value.kind() {
            Kind::String => Self::parse(&value.string().unwrap_or_default()),
            Kind::Number => numeric(value).and_then(Self::from_numeric).ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidRunId,
                    text!["run id ", Found(Some(value)), " is not a positive safe integer"],
                )
            }),
            Kind::Object => {
                let uuid = value.get("sentryRunId").and_then(|v| uuid(&v));
                let id = value.get("numericRunId").and_then(|v| numeric(&v));
                match (uuid, id) {
                    (Some(uuid), id) => Ok(Self::from_uuid(uuid, id)),
                    (None, Some(id)) => Self::from_numeric(id).ok_or_else(|| invalid_object(value)),
                    (None, None) => Err(invalid_object(value)),
                }
            }
            _ => Err(Error::new(
                ErrorKind::InvalidRunId,
                text!["run id must be a RunId, a string or a number, got ", Found(Some(value))],
            )),
        }
    }
}

#[cold]
fn invalid_object<J: Json>(value: &J) -> Error {
    Error::new(
        ErrorKind::InvalidRunId,
        text!["run id object has neither a UUID `sentryRunId` nor a positive `numericRunId`: ", Found(Some(value))],
    )
}

fn is_numeric_id(id: u64) -> bool {
    (1..=MAX_SAFE_INTEGER).contains(&id)
}

/// A JSON integer in `1..=2^53-1` (`12.0` is `12`, as `JSON.parse` reads it); fractions,
/// strings and everything else are not ids.
fn numeric<J: Json>(value: &J) -> Option<u64> {
    value.number().and_then(safe_integer).filter(|&id| is_numeric_id(id))
}

/// A JSON string holding a UUID in any form the uuid crate accepts.
pub(crate) fn uuid<J: Json>(value: &J) -> Option<Uuid> {
    value.string().and_then(|text| Uuid::try_parse(&text).ok())
}

/// A UUID as the server writes it: lowercase and hyphenated (without the formatting machinery).
impl Part for Uuid {
    fn put(&self, out: &mut String) {
        out.push_str(self.hyphenated().encode_lower(&mut Uuid::encode_buffer()));
    }
}

/// A UUID as the server writes it, as a string of its own.
pub fn uuid_text(uuid: Uuid) -> String {
    text![uuid]
}

impl Part for RunId {
    /// The id as it appears in the state URL: the lowercase hyphenated UUID, or the decimal id.
    fn put(&self, out: &mut String) {
        match (self.sentry_run_id, self.numeric_run_id) {
            (Some(uuid), _) => uuid.put(out),
            (None, Some(id)) => id.put(out),
            (None, None) => {}
        }
    }
}

impl fmt::Display for RunId {
    /// The id as it appears in the state URL, as [`Part`] writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text![self])
    }
}

/// How the run is polled: by its UUID (`sentry_run_id`) or by the older numeric `run_id`.
#[derive(Clone, Copy)]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename_all = "lowercase"))]
pub(crate) enum RunIdKind {
    /// By its UUID.
    Uuid,
    /// By its numeric id.
    Numeric,
}

impl RunIdKind {
    /// The name used in JavaScript (`src/contract.rs` checks it against the declaration).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Uuid => "uuid",
            Self::Numeric => "numeric",
        }
    }
}

/// Written as its name, as a unit variant (see `Phase`): smaller in the wasm than a derived `Serialize`.
impl Serialize for RunIdKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("RunIdKind", 0, self.as_str())
    }
}

// JavaScript's `RunId`, the serialized form of a `RunId`.
/// The id a run is polled by, with both ids the server handed out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(test, derive(ts_rs::TS), ts(rename = "RunId"))]
pub(crate) struct RunIdView {
    /// Whether the run is polled by its UUID or by its numeric id.
    kind: RunIdKind,
    /// The id as it appears in the state URL.
    value: String,
    /// The lowercase hyphenated UUID, when the server sent one.
    sentry_run_id: Option<String>,
    /// The numeric id, when the server sent one (for analytics).
    #[cfg_attr(test, ts(type = "number | null"))]
    numeric_run_id: Option<SafeInteger>,
}

/// A numeric id as serialized. It is at most 2^53 - 1, so it goes out as a `u32` when it fits
/// and as the float it equals otherwise: never as a `u64`, whose range check in
/// serde-wasm-bindgen formats an error and would link `core::fmt` into the module.
#[derive(Clone, Copy)]
struct SafeInteger(u64);

impl Serialize for SafeInteger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match u32::try_from(self.0) {
            Ok(small) => serializer.serialize_u32(small),
            Err(_) => serializer.serialize_f64(self.0 as f64),
        }
    }
}

impl Serialize for RunId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RunIdView {
            kind: if self.is_uuid() { RunIdKind::Uuid } else { RunIdKind::Numeric },
            value: text![self],
            sentry_run_id: self.sentry_run_id.map(uuid_text),
            numeric_run_id: self.numeric_run_id.map(SafeInteger),
        }
        .serialize(serializer)
    }
}

/// Picks the id to poll from a start response: a valid `sentry_run_id` UUID wins,
/// then a `run_id` integer in `1..=2^53-1`; otherwise a `missing_run_id` error
/// naming both fields and what they held.
pub fn pick_run_id<J: Json>(response: &J) -> Result<RunId, Error> {
    if !response.is_object() {
        return Err(Error::new(
            ErrorKind::MissingRunId,
            text![
                "start response is not a JSON object (",
                Found(Some(response)),
                "), so it has neither `sentry_run_id` nor `run_id`"
            ],
        ));
    }
    let sentry_run_id = response.get("sentry_run_id");
    let run_id = response.get("run_id");
    match (sentry_run_id.as_ref().and_then(uuid), run_id.as_ref().and_then(numeric)) {
        (Some(uuid), id) => Ok(RunId::from_uuid(uuid, id)),
        (None, Some(id)) => RunId::from_numeric(id).ok_or_else(|| missing(sentry_run_id.as_ref(), run_id.as_ref())),
        (None, None) => Err(missing(sentry_run_id.as_ref(), run_id.as_ref())),
    }
}

#[cold]
fn missing<J: Json>(sentry_run_id: Option<&J>, run_id: Option<&J>) -> Error {
    Error::new(
        ErrorKind::MissingRunId,
        text![
            "start response has no usable run id: `sentry_run_id` is ",
            Found(sentry_run_id),
            " (a UUID was expected) and `run_id` is ",
            Found(run_id),
            " (a positive integer was expected)"
        ],
    )
}

/// Describes a JSON value briefly, for error messages.
/// Describes a value for messages: its kind, with numbers described by [`Number`] and
/// strings quoted, cut after 40 characters.
struct Found<'a, J>(Option<&'a J>);

impl<J: Json> Part for Found<'_, J> {
    fn put(&self, out: &mut String) {
        let Some(value) = self.0 else {
            return out.push_str("missing");
        };
        match value.kind() {
            Kind::Null => out.push_str("null"),
            Kind::Bool => {
                out.push_str("the boolean ");
                value.boolean().unwrap_or_default().put(out);
            }
            Kind::Number => Number(value.number().unwrap_or(f64::NAN)).put(out),
            Kind::String => FoundString(&value.string().unwrap_or_default()).put(out),
            Kind::Array => out.push_str("an array"),
            Kind::Object => out.push_str("an object"),
            Kind::Other => out.push_str("a value JSON cannot hold"),
        }
    }
}

/// A string for messages: quoted, cut after 40 characters.
struct FoundString<'a>(&'a str);

impl Part for FoundString<'_> {
    fn put(&self, out: &mut String) {
        const SHOWN: usize = 40;
        let s = self.0;
        let cut = s.char_indices().nth(SHOWN).and_then(|(cut, _)| s.get(..cut));
        out.push_str("the string ");
        Quoted(cut.unwrap_or(s)).put(out);
        if cut.is_some() {
            out.push('…');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";

    fn picked(body: Value) -> String {
        pick_run_id(&body).map(|id| id.to_string()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn uuid_wins_over_numeric() {
        let id = pick_run_id(&json!({"run_id": 4821, "sentry_run_id": UUID})).unwrap();
        assert!(id.is_uuid());
        assert_eq!(id.to_string(), UUID);
        assert_eq!(id.numeric_run_id(), Some(4821));
    }

    #[test]
    fn uuid_with_null_run_id() {
        let id = pick_run_id(&json!({"run_id": null, "sentry_run_id": UUID})).unwrap();
        assert_eq!(id.to_string(), UUID);
        assert_eq!(id.numeric_run_id(), None);
    }

    #[test]
    fn uuid_is_normalised_to_lowercase_hyphenated() {
        let upper = "5D0C8A4E2B1F4E7A9C3D6F8E1A2B3C4D";
        assert_eq!(picked(json!({"sentry_run_id": upper})), UUID);
        assert_eq!(picked(json!({"sentry_run_id": format!("{{{UUID}}}")})), UUID);
        assert_eq!(picked(json!({"sentry_run_id": format!("urn:uuid:{UUID}")})), UUID);
    }

    #[test]
    fn numeric_when_there_is_no_uuid() {
        let id = pick_run_id(&json!({"run_id": 4821})).unwrap();
        assert!(!id.is_uuid());
        assert_eq!(id.to_string(), "4821");
        assert_eq!(picked(json!({"run_id": MAX_SAFE_INTEGER})), MAX_SAFE_INTEGER.to_string());
    }

    /// `JSON.parse` reads `12.0` and `1.2e1` as `12`, so they are the id 12 natively too; an
    /// integer past 2^53 - 1 is refused and never shown rounded.
    #[test]
    fn integral_numbers_are_ids_and_unsafe_ones_are_not_shown_rounded() {
        assert_eq!(picked(json!({"run_id": 12.0})), "12");
        let body: Value = serde_json::from_str(r#"{"run_id": 1.2e1}"#).unwrap();
        assert_eq!(pick_run_id(&body).unwrap().to_string(), "12");
        let body: Value = serde_json::from_str(r#"{"run_id": 9007199254740993}"#).unwrap();
        let err = pick_run_id(&body).unwrap_err();
        assert!(err.message.contains("`run_id` is a number beyond 2^53 - 1"), "{}", err.message);
        assert!(!err.message.contains("900719925474099"), "{}", err.message);
        let err = pick_run_id(&json!({"run_id": 1.5})).unwrap_err();
        assert!(err.message.contains("`run_id` is a fractional number"), "{}", err.message);
    }

    #[test]
    fn malformed_uuid_falls_back_to_numeric() {
        for bad in [json!(""), json!("abc"), json!("../x"), json!(12), json!(null), json!({}), json!(true)] {
            assert_eq!(picked(json!({"run_id": 7, "sentry_run_id": bad})), "7", "{bad:?}");
        }
    }

    #[test]
    fn unusable_numeric_ids_are_missing() {
        for bad in
            [json!(1.5), json!(0), json!(0.0), json!(-3), json!(MAX_SAFE_INTEGER + 1), json!("4821"), json!(null)]
        {
            let err = pick_run_id(&json!({"run_id": bad})).unwrap_err();
            assert_eq!(err.kind, ErrorKind::MissingRunId, "{bad:?}");
        }
    }

    #[test]
    fn missing_message_names_both_fields_and_what_was_found() {
        let err = pick_run_id(&json!({"run_id": 0, "sentry_run_id": "../x"})).unwrap_err();
        assert_eq!(err.kind, ErrorKind::MissingRunId);
        assert!(err.message.contains("`sentry_run_id` is the string \"../x\""), "{}", err.message);
        assert!(err.message.contains("`run_id` is the number 0"), "{}", err.message);
        let err = pick_run_id(&json!({})).unwrap_err();
        assert!(err.message.contains("`sentry_run_id` is missing"), "{}", err.message);
    }

    #[test]
    fn non_objects_are_missing() {
        for body in [json!(null), json!([UUID]), json!(UUID), json!(4821), json!(true)] {
            assert_eq!(pick_run_id(&body).unwrap_err().kind, ErrorKind::MissingRunId, "{body:?}");
        }
    }

    #[test]
    fn parse_accepts_uuids_and_decimal_ids_only() {
        assert_eq!(RunId::parse(UUID).unwrap().to_string(), UUID);
        assert_eq!(RunId::parse("4821").unwrap().to_string(), "4821");
        for bad in ["", "0", "-1", "+5", "1.5", "../x", "4821/", "9007199254740992", "abc"] {
            assert_eq!(RunId::parse(bad).unwrap_err().kind, ErrorKind::InvalidRunId, "{bad:?}");
        }
    }

    /// Found by `tests/properties.rs`: a safe integer with leading zeros was refused past 16 characters.
    #[test]
    fn parse_reads_leading_zeros_at_any_length() {
        assert_eq!(RunId::parse("00000000000000001").unwrap().to_string(), "1");
        assert_eq!(
            RunId::parse(&format!("{:0>40}", MAX_SAFE_INTEGER)).unwrap().to_string(),
            MAX_SAFE_INTEGER.to_string()
        );
        assert_eq!(RunId::parse(&format!("{:0>40}", MAX_SAFE_INTEGER + 1)).unwrap_err().kind, ErrorKind::InvalidRunId);
        assert_eq!(RunId::parse(&"9".repeat(40)).unwrap_err().kind, ErrorKind::InvalidRunId);
    }

    #[test]
    fn from_json_reads_objects_strings_and_numbers() {
        let id =
            RunId::from_json(&json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 9})).unwrap();
        assert_eq!((id.to_string(), id.numeric_run_id()), (UUID.to_owned(), Some(9)));
        assert_eq!(RunId::from_json(&json!(12)).unwrap().to_string(), "12");
        assert_eq!(RunId::from_json(&json!("12")).unwrap().to_string(), "12");
        for bad in [json!(1.5), json!(0), json!(null), json!({"value": "../x"}), json!([1])] {
            assert_eq!(RunId::from_json(&bad).unwrap_err().kind, ErrorKind::InvalidRunId, "{bad:?}");
        }
    }

    #[test]
    fn serializes_both_ids() {
        let id = RunId::from_uuid(Uuid::parse_str(UUID).unwrap(), Some(4821));
        assert_eq!(
            serde_json::to_value(&id).unwrap(),
            serde_json::json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821})
        );
        let id = RunId::from_numeric(4821).unwrap();
        assert_eq!(
            serde_json::to_value(&id).unwrap(),
            serde_json::json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821})
        );
        // Past `u32`, the number it is, exactly.
        let largest = serde_json::to_value(RunId::from_numeric(MAX_SAFE_INTEGER).unwrap()).unwrap();
        assert_eq!(largest["numericRunId"].as_f64(), Some(MAX_SAFE_INTEGER as f64));
        assert_eq!(largest["value"], "9007199254740991");
    }
}
