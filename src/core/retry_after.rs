//! `Retry-After`: delay-seconds or an HTTP date.

use std::time::{Duration, UNIX_EPOCH};

/// The wait a `Retry-After` header asks for, in milliseconds, given the wall clock
/// (`unix_now_ms`) when the answer arrived. `None` when the header is absent or unreadable.
pub fn retry_after_ms(header: Option<&str>, unix_now_ms: u64) -> Option<u64> {
    let value = header?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturates on absurd values; the caller caps the wait anyway.
        let seconds: u64 = value.parse().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    let at_ms = at.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis();
    let wait = at_ms.saturating_sub(u128::from(unix_now_ms));
    Some(u64::try_from(wait).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(retry_after_ms(Some("5"), 0), Some(5000));
        assert_eq!(retry_after_ms(Some(" 0 "), 0), Some(0));
        assert_eq!(retry_after_ms(Some("99999999999999999999999"), 0), Some(u64::MAX));
    }

    #[test]
    fn http_date() {
        // Wed, 21 Oct 2015 07:28:00 GMT is 1445412480 s after the epoch.
        let date = Some("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after_ms(date, 1_445_412_470_000), Some(10_000));
        assert_eq!(retry_after_ms(date, 1_445_412_490_000), Some(0));
    }

    #[test]
    fn unreadable() {
        for bad in [None, Some(""), Some("-1"), Some("1.5"), Some("soon")] {
            assert_eq!(retry_after_ms(bad, 0), None, "{bad:?}");
        }
    }
}
