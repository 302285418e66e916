//! A small JSON value for what the client passes through whole (`final_response`, `options`)
//! or only inspects (start and error bodies).
//!
//! It reads from any serde `Deserializer` (serde_json natively, serde-wasm-bindgen over a
//! value `JSON.parse` made in WebAssembly) and refuses, as JSON does, what cannot round-trip:
//! non-finite numbers and nesting deeper than [`MAX_DEPTH`] levels (no stack overflow however
//! deep the input). Of duplicate keys the last one wins, as in `JSON.parse`.

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use std::fmt;

/// The deepest nesting of arrays and objects read.
pub const MAX_DEPTH: usize = 128;

/// The largest integer JavaScript represents exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A JSON value. Numbers are `f64`, as in JavaScript; objects keep their keys in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A finite number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, its entries in order, each key once.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The value of `key` when this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Self::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The text of a string, taken out.
    pub fn into_string(self) -> Option<String> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The elements of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Self::Object(_))
    }
}

/// A number as an integer in `0..=2^53-1`, the range where JavaScript's numbers are exact.
/// `12.0` is `12`: `JSON.parse` cannot tell them apart.
pub fn safe_integer(n: f64) -> Option<u64> {
    (n.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&n)).then_some(n as u64)
}

/// Describes a number for messages without printing a value the server may not have sent:
/// integers in JavaScript's exact range as they are, everything else by its kind.
pub struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0;
        if !n.is_finite() {
            f.write_str("a non-finite number")
        } else if n.abs() > MAX_SAFE_INTEGER as f64 {
            f.write_str("a number beyond 2^53 - 1")
        } else if n.fract() != 0.0 {
            f.write_str("a fractional number")
        } else {
            write!(f, "the number {}", n as i64)
        }
    }
}

/// Compact JSON text.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("null"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::Number(n) => write_number(f, *n),
            Self::String(text) => write_string(f, text),
            Self::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    item.fmt(f)?;
                }
                f.write_str("]")
            }
            Self::Object(entries) => {
                f.write_str("{")?;
                for (i, (key, value)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, key)?;
                    f.write_str(":")?;
                    value.fmt(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

/// Writes `n` as `m`, `m/10^k` in decimal or `m·10^k` in exponent form, with `m` an integer
/// below 2^53 and `k` at most 22: then `m` and `10^k` are exact, so the division or product
/// is the correctly rounded value of the text, which a JSON parser reads back as `n` exactly.
/// Other numbers (beyond about 1e38, or with 16 digits past 1e-7) are refused with an error:
/// formatting every float exactly would cost the package a float printer.
fn write_number(f: &mut impl fmt::Write, n: f64) -> fmt::Result {
    let exact = |m: f64| m.abs() <= MAX_SAFE_INTEGER as f64;
    if n.fract() == 0.0 && exact(n) {
        return write!(f, "{}", n as i64);
    }
    let mut scale = 1.0;
    for k in 1..=22usize {
        scale *= 10.0;
        let m = (n * scale).round();
        if exact(m) && m / scale == n {
            // |m| < 2^53 < 10^16: from 16 digits on, all of it is fraction.
            let m = (m as i64).unsigned_abs();
            let (whole, mut fraction, mut width) = match 10u64.checked_pow(k as u32) {
                Some(p) => (m / p, m % p, k),
                None => (0, m, k),
            };
            while fraction % 10 == 0 && width > 1 {
                fraction /= 10;
                width -= 1;
            }
            let sign = if n < 0.0 { "-" } else { "" };
            return write!(f, "{sign}{whole}.{fraction:0>width$}");
        }
    }
    for k in (1..=22).rev() {
        let scale = (0..k).fold(1.0, |s, _| s * 10.0);
        let m = (n / scale).round();
        if exact(m) && m * scale == n {
            return write!(f, "{}e{k}", m as i64);
        }
    }
    Err(fmt::Error)
}

/// Writes a text as a JSON string.
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_string(f, self.0)
    }
}

/// `text` as a JSON string: in double quotes, escaped.
fn write_string(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in text.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            '\u{8}' => out.write_str("\\b")?,
            '\u{c}' => out.write_str("\\f")?,
            c if c < ' ' => {
                out.write_str("\\u00")?;
                for nibble in [u32::from(c) >> 4, u32::from(c) & 0xf] {
                    out.write_char(char::from_digit(nibble, 16).unwrap_or('0'))?;
                }
            }
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

/// Reads a `Json` value `depth` levels down.
struct Level(usize);

impl<'de> DeserializeSeed<'de> for Level {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl Level {
    fn deeper<E: serde::de::Error>(&self) -> Result<Self, E> {
        if self.0 + 2 > MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(Self(self.0 + 1))
    }
}

#[cold]
fn too_deep<E: serde::de::Error>() -> E {
    E::custom("JSON nested deeper than 128 levels")
}

#[cold]
fn not_finite<E: serde::de::Error>() -> E {
    E::custom("a number that is not finite")
}

impl<'de> Visitor<'de> for Level {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON data")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(v as f64))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        if v.is_finite() { Ok(Json::Number(v)) } else { Err(not_finite()) }
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.deeper()?)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut entries: Vec<(String, Json)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.deeper()?)?;
            entries.push((key, value));
        }
        // A JavaScript object cannot repeat a key: only JSON text parsed natively can.
        #[cfg(not(target_arch = "wasm32"))]
        let entries = last_wins(entries);
        Ok(Json::Object(entries))
    }
}

#[cfg(not(target_arch = "wasm32"))]
/// Keeps one entry per key: the last value, at the place of the first, as `JSON.parse` does.
fn last_wins(mut entries: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let key = |entries: &[(String, Json)], i: usize| entries.get(i).map_or("", |e| e.0.as_str()).to_owned();
    if entries.len() < 2 {
        return entries;
    }
    let mut order: Vec<(String, usize)> = (0..entries.len()).map(|i| (key(&entries, i), i)).collect();
    order.sort_unstable();
    let mut dropped = vec![false; entries.len()];
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let [(_, first), .., (_, last)] = group else { continue };
        let value = entries.get_mut(*last).map(|e| std::mem::take(&mut e.1)).unwrap_or_default();
        if let Some(entry) = entries.get_mut(*first) {
            entry.1 = value;
        }
        for (_, i) in group.iter().skip(1) {
            if let Some(flag) = dropped.get_mut(*i) {
                *flag = true;
            }
        }
    }
    let mut flags = dropped.into_iter();
    entries.retain(|_| !flags.next().unwrap_or(false));
    entries
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Level(0))
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => s.serialize_unit(),
            Self::Bool(b) => s.serialize_bool(*b),
            Self::Number(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 => s.serialize_i64(*n as i64),
            Self::Number(n) => s.serialize_f64(*n),
            Self::String(text) => s.serialize_str(text),
            Self::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Object(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// Natively, the client's types are read from a `Json` parsed first, so that text is read
/// exactly as `JSON.parse` reads it.
#[cfg(not(target_arch = "wasm32"))]
mod read {
    use super::{Json, MAX_SAFE_INTEGER, safe_integer};
    use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
    use serde::de::{Deserializer, IntoDeserializer, Visitor};

    impl<'de> IntoDeserializer<'de, Error> for &'de Json {
        type Deserializer = Self;

        fn into_deserializer(self) -> Self {
            self
        }
    }

    impl<'de> Deserializer<'de> for &'de Json {
        type Error = Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Json::Null => visitor.visit_unit(),
                Json::Bool(b) => visitor.visit_bool(*b),
                Json::Number(n) => match safe_integer(*n) {
                    Some(integer) => visitor.visit_u64(integer),
                    None if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 => visitor.visit_i64(*n as i64),
                    None => visitor.visit_f64(*n),
                },
                Json::String(text) => visitor.visit_borrowed_str(text),
                Json::Array(items) => visitor.visit_seq(SeqDeserializer::new(items.iter())),
                Json::Object(entries) => {
                    visitor.visit_map(MapDeserializer::new(entries.iter().map(|(k, v)| (k.as_str(), v))))
                }
            }
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Json::Null => visitor.visit_none(),
                _ => visitor.visit_some(self),
            }
        }

        /// Structs are read from objects only: serde would also read one from an array of its field values.
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            match self {
                Json::Object(_) => self.deserialize_any(visitor),
                _ => Err(serde::de::Error::custom("expected a JSON object")),
            }
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
            unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
        }
    }
}

#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Json, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn round_trips_through_serde_json() {
        let text = r#"{"b":[1,2.5,-3,null,true,"x"],"a":{"c":{}},"e":[]}"#;
        let json = parse(text).unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), text);
        assert_eq!(json.get("b").and_then(Json::as_array).map(<[Json]>::len), Some(6));
    }

    #[test]
    fn writes_json_text_as_serde_json_does() {
        for text in [r#"{"a":[1,-2,0.1,1e-7,1.5e30,null,true],"b":"q\"\\\n\u0001é"}"#, "[]", "{}", r#""""#] {
            let json = parse(text).unwrap();
            let expected: serde_json::Value = serde_json::from_str(text).unwrap();
            let written: serde_json::Value = serde_json::from_str(&json.to_string()).unwrap();
            assert_eq!(written, expected, "{text}");
        }
        assert_eq!(parse(r#"{"n":[12.0,-0.5]}"#).unwrap().to_string(), r#"{"n":[12,-0.5]}"#);
        let written = |n: f64| {
            let mut text = String::new();
            write_number(&mut text, n).map(|()| text)
        };
        let cases = [
            (0.1, "0.1"),
            (-0.005, "-0.005"),
            (1.5e30, "150000000e22"),
            (1e20, "1e20"),
            (1e-20, "0.00000000000000000001"),
        ];
        for (n, text) in cases {
            assert_eq!(written(n).unwrap(), text);
        }
        for n in [0.1, 1.0 / 3.0, 2.5e-7, 123_456.789, -9.87e15, 6.02e23, 1e-22, 3e37] {
            if let Ok(text) = written(n) {
                assert_eq!(text.parse::<f64>().unwrap(), n, "{text}");
            }
        }
        assert_eq!(written(1.0 / 3.0).unwrap(), "0.3333333333333333");
        assert!(written(1e300).is_err() && written(1e-30).is_err());
    }

    #[test]
    fn the_last_of_duplicate_keys_wins_at_the_place_of_the_first() {
        let json = parse(r#"{"a": 1, "b": 2, "a": 3, "c": 4, "b": 5, "a": 6}"#).unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), r#"{"a":6,"b":5,"c":4}"#);
    }

    #[test]
    fn integral_numbers_are_integers_whatever_their_spelling() {
        let json = parse("[12.0, 1e2, 9007199254740993, 0.5]").unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), "[12,100,9007199254740992.0,0.5]");
        assert_eq!(safe_integer(12.0), Some(12));
        assert_eq!(safe_integer(MAX_SAFE_INTEGER as f64 + 1.0), None);
        assert_eq!(safe_integer(-1.0), None);
    }

    #[test]
    fn nesting_is_limited() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_DEPTH - 1)).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&nested(MAX_DEPTH)).is_err());
        assert!(parse(&nested(MAX_DEPTH - 1)).is_ok());
        // serde_json stops at 128 on its own; `Json` refuses past the same depth for any deserializer.
        let value = serde_json::Value::Array(vec![]);
        let deep = |depth: usize| (1..depth).fold(value.clone(), |v, _| serde_json::Value::Array(vec![v]));
        assert!(Json::deserialize(&deep(MAX_DEPTH - 1)).is_ok());
        assert!(Json::deserialize(&deep(MAX_DEPTH)).unwrap_err().to_string().contains("deeper than 128"));
    }

    #[test]
    fn non_finite_numbers_are_refused() {
        assert!(Json::deserialize(serde::de::value::F64Deserializer::<serde_json::Error>::new(f64::NAN)).is_err());
        assert!(parse("1e400").is_err());
    }

    #[test]
    fn numbers_are_described_without_rounding() {
        let text = |n: f64| Number(n).to_string();
        assert_eq!(text(0.0), "the number 0");
        assert_eq!(text(-3.0), "the number -3");
        assert_eq!(text(1.5), "a fractional number");
        assert_eq!(text(9007199254740992.0), "a number beyond 2^53 - 1");
        assert_eq!(text(f64::INFINITY), "a non-finite number");
    }
}
