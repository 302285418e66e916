//! `Retry-After`: delay-seconds or an HTTP date in the IMF-fixdate form
//! (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 section 5.6.7), read strictly.

/// The wait a `Retry-After` header asks for, in milliseconds, given the wall clock
/// (`unix_now_ms`) when the answer arrived. `None` when the header is absent or unreadable.
pub fn retry_after_ms(header: Option<&str>, unix_now_ms: u64) -> Option<u64> {
    let value = header?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturates on absurd values; the caller caps the wait anyway.
        let seconds: u64 = value.parse().unwrap_or(u64::MAX);
        return Some(seconds.saturating_mul(1000));
    }
    let at_ms = imf_fixdate(value)?.saturating_mul(1000);
    Some(at_ms.saturating_sub(unix_now_ms))
}

const WEEKDAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
const MONTHS: [&[u8; 3]; 12] =
    [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];

/// Seconds since the Unix epoch of an IMF-fixdate from 1970 to 9999 whose weekday is right.
pub fn imf_fixdate(text: &str) -> Option<u64> {
    let [w0, w1, w2, b',', b' ', d @ .., b' ', b'G', b'M', b'T'] = text.as_bytes() else { return None };
    let [d0, d1, b' ', m0, m1, m2, b' ', y0, y1, y2, y3, b' ', h0, h1, b':', n0, n1, b':', s0, s1] = *d else {
        return None;
    };
    let number =
        |digits: &[u8]| digits.iter().try_fold(0u64, |n, &b| b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0')));
    let month = MONTHS.iter().position(|m| **m == [m0, m1, m2])? as u64 + 1;
    let (year, day) = (number(&[y0, y1, y2, y3])?, number(&[d0, d1])?);
    let (hour, minute, second) = (number(&[h0, h1])?, number(&[n0, n1])?, number(&[s0, s1])?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if year < 1970 || !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let days = days_since_epoch(year, month, day);
    let weekday = WEEKDAYS.get(usize::try_from(days % 7).ok()?)?;
    (**weekday == [*w0, *w1, *w2]).then_some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days from 1970-01-01 to the given date of the proleptic Gregorian calendar (year >= 1970).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    // Howard Hinnant's days_from_civil, with March as the first month of the year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
        assert_eq!(imf_fixdate("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(imf_fixdate("Tue, 29 Feb 2000 23:59:59 GMT"), Some(951_868_799));
        assert_eq!(imf_fixdate("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799));
    }

    #[test]
    fn only_the_imf_fixdate_form_is_read() {
        for bad in [
            "Wednesday, 21-Oct-15 07:28:00 GMT",
            "Wed Oct 21 07:28:00 2015",
            "Thu, 21 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 07:28:00 UTC",
            "Wed, 21 Oct 2015 7:28:00 GMT",
            "Wed, 21 oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 24:00:00 GMT",
            "Wed, 21 Oct 2015 07:60:00 GMT",
            "Wed, 21 Oct 2015 07:28:60 GMT",
            "Mon, 29 Feb 2100 00:00:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Wed, +1 Oct 2015 07:28:00 GMT",
        ] {
            assert_eq!(imf_fixdate(bad), None, "{bad}");
        }
    }

    #[test]
    fn unreadable() {
        for bad in [None, Some(""), Some("-1"), Some("1.5"), Some("soon")] {
            assert_eq!(retry_after_ms(bad, 0), None, "{bad:?}");
        }
    }
}
