//! JSON data read where it lies: the [`Json`] reader the core reads answers and configuration
//! through, which the WebAssembly shell implements over the values `JSON.parse` makes and
//! native code over `serde_json::Value`. The core reads only the fields it acts on; whatever it
//! passes through (a session, `final_response`, the steps) stays the platform's own value.

use super::text::Part;
use std::fmt;

/// The largest integer JavaScript represents exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// What a value is, in JSON's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number (in JavaScript, also `NaN` and the infinities).
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object that is not an array.
    Object,
    /// Something JSON has no name for, such as a function.
    Other,
}

/// A JSON value as the platform holds it, read one field at a time.
///
/// Of an object only its own properties are read, so a `"__proto__"` or `"constructor"` key is
/// data like any other.
pub trait Json: Clone + PartialEq + fmt::Debug {
    /// What the value is.
    fn kind(&self) -> Kind;
    /// The value of `key` when this is an object with that own property (and it is not
    /// JavaScript's `undefined`).
    fn get(&self, key: &'static str) -> Option<Self>;
    /// The text of a string.
    fn string(&self) -> Option<String>;
    /// The number, when this is one.
    fn number(&self) -> Option<f64>;
    /// The boolean, when this is one.
    fn boolean(&self) -> Option<bool>;
    /// The elements of an array.
    fn items(&self) -> Option<Vec<Self>>;
    /// The entries of an object, in order.
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// The value as JSON text, as `JSON.stringify` writes it, or why it has none.
    fn text(&self) -> Result<String, String>;

    /// Whether this is `null`.
    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// Whether this is an object that is not an array.
    fn is_object(&self) -> bool {
        self.kind() == Kind::Object
    }

    /// The text of the string at `key`.
    fn get_string(&self, key: &'static str) -> Option<String> {
        self.get(key).and_then(|value| value.string())
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

impl Part for Number {
    fn put(&self, out: &mut String) {
        let n = self.0;
        if !n.is_finite() {
            out.push_str("a non-finite number");
        } else if n.abs() > MAX_SAFE_INTEGER as f64 {
            out.push_str("a number beyond 2^53 - 1");
        } else if n.fract() != 0.0 {
            out.push_str("a fractional number");
        } else {
            out.push_str("the number ");
            (n as i64).put(out);
        }
    }
}

/// Writes a text as a JSON string: in double quotes, escaped.
pub struct Quoted<'a>(pub &'a str);

impl Part for Quoted<'_> {
    fn put(&self, out: &mut String) {
        out.push('"');
        for c in self.0.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if c < ' ' => {
                    out.push_str("\\u00");
                    for nibble in [u32::from(c) >> 4, u32::from(c) & 0xf] {
                        out.push(char::from_digit(nibble, 16).unwrap_or('0'));
                    }
                }
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_numbers_are_integers_whatever_their_spelling() {
        assert_eq!(safe_integer(12.0), Some(12));
        assert_eq!(safe_integer(MAX_SAFE_INTEGER as f64), Some(MAX_SAFE_INTEGER));
        assert_eq!(safe_integer(MAX_SAFE_INTEGER as f64 + 1.0), None);
        assert_eq!(safe_integer(-1.0), None);
        assert_eq!(safe_integer(0.5), None);
    }

    #[test]
    fn numbers_are_described_without_rounding() {
        let text = |n: f64| crate::text![Number(n)];
        assert_eq!(text(0.0), "the number 0");
        assert_eq!(text(-3.0), "the number -3");
        assert_eq!(text(1.5), "a fractional number");
        assert_eq!(text(9007199254740992.0), "a number beyond 2^53 - 1");
        assert_eq!(text(f64::INFINITY), "a non-finite number");
    }
}
