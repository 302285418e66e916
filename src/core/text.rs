//! Messages and request bodies written without `core::fmt`, whose machinery (`Formatter`,
//! `fmt::write`, the integers' `Display`) costs the WebAssembly module KBs: a message is a list
//! of [`Part`]s that [`text!`] joins.

/// A piece of a message that writes itself onto the end of a string.
pub trait Part {
    /// Appends this part to `out`.
    fn put(&self, out: &mut String);
}

impl Part for str {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Part for String {
    fn put(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Part + ?Sized> Part for &T {
    fn put(&self, out: &mut String) {
        (**self).put(out);
    }
}

impl Part for bool {
    fn put(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// Writes `n` in decimal digits.
fn put_decimal(n: u64, out: &mut String) {
    if n >= 10 {
        put_decimal(n / 10, out);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

impl Part for u64 {
    fn put(&self, out: &mut String) {
        put_decimal(*self, out);
    }
}

impl Part for u16 {
    fn put(&self, out: &mut String) {
        put_decimal(u64::from(*self), out);
    }
}

impl Part for usize {
    fn put(&self, out: &mut String) {
        put_decimal(*self as u64, out);
    }
}

impl Part for i64 {
    fn put(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        put_decimal(self.unsigned_abs(), out);
    }
}

/// The [`Part`]s given, joined into a new `String`: `text!["run ", id, " took ", ms, " ms"]`.
/// Also reachable as `core::text!`.
#[macro_export]
macro_rules! text {
    [$($part:expr),+ $(,)?] => {{
        let mut out = ::std::string::String::new();
        $($crate::core::Part::put(&$part, &mut out);)*
        out
    }};
}

#[cfg(test)]
mod tests {
    use crate::core::json::Quoted;

    #[test]
    fn integers_are_written_as_decimal_digits() {
        for n in [0, 1, 9, 10, 11, 99, 100, 4821, u64::from(u32::MAX), (1 << 53) - 1, u64::MAX - 1, u64::MAX] {
            assert_eq!(text![n], n.to_string());
        }
        for n in [0, -1, -9, -10, 42, i64::MIN, i64::MIN + 1, i64::MAX] {
            assert_eq!(text![n], n.to_string());
        }
        assert_eq!(
            text![0u16, " ", u16::MAX, " ", usize::MAX, " ", true, " ", false],
            format!("0 65535 {} true false", usize::MAX)
        );
    }

    #[test]
    fn parts_are_joined_in_order() {
        let owned = String::from("b");
        assert_eq!(text!["a", owned, &owned, 3u64, "", "c",], "abb3c");
    }

    #[test]
    fn quote_escapes_as_json() {
        let controls: String = (0..0x20).chain([0x7f]).filter_map(char::from_u32).collect();
        for text in
            ["", "plain", "a \"b\" \\ c", "line\nbreak\r\t", "\u{0}\u{8}\u{c}\u{1f}\u{7f}", "é ✓ 😀", "/<>'", &controls]
        {
            assert_eq!(text![Quoted(text)], serde_json::to_string(text).unwrap(), "{text}");
        }
    }
}
