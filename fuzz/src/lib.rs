//! Input splitting and the URL and run-id shape checks the fuzz targets share.

use ask_seer_polling::core::MAX_SAFE_INTEGER;

/// Splits a fuzz input into an HTTP status (its first two bytes, big-endian) and a body
/// (the rest, as UTF-8-lossy text). `run.sh` writes its seeds in this layout.
pub fn status_and_body(data: &[u8]) -> Option<(u16, String)> {
    let (status, body) = data.split_first_chunk::<2>()?;
    Some((u16::from_be_bytes(*status), String::from_utf8_lossy(body).into_owned()))
}

/// Whether `status` is 2xx.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Asserts that `id` is a run id as a state URL carries it: a lowercase hyphenated UUID,
/// or a decimal integer in `1..=2^53-1` without a leading zero.
pub fn assert_id_shape(id: &str) {
    let uuid = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => matches!(b, b'0'..=b'9' | b'a'..=b'f'),
        });
    let numeric = id.parse::<u64>().is_ok_and(|n| (1..=MAX_SAFE_INTEGER).contains(&n) && n.to_string() == id);
    assert!(uuid || numeric, "run id {id:?} is neither a lowercase hyphenated UUID nor a decimal id");
}

/// Asserts that `url` is `{base trimmed of trailing '/'}/organizations/{slug}/search-agent/`
/// followed by exactly `start/` or `state/<id>/`, and that `slug` is one path segment of
/// `[A-Za-z0-9_-]`.
pub fn assert_url_shape(url: &str, base: &str, slug: &str) {
    let slug_ok = !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    assert!(slug_ok, "slug {slug:?} was accepted");
    let prefix = format!("{}/organizations/{slug}/search-agent/", base.trim_end_matches('/'));
    let Some(rest) = url.strip_prefix(&prefix) else {
        panic!("{url:?} is not under {prefix:?}");
    };
    if rest != "start/" {
        let id = rest.strip_prefix("state/").and_then(|r| r.strip_suffix('/'));
        let Some(id) = id else {
            panic!("{url:?} is neither start/ nor state/<id>/ under {prefix:?}");
        };
        assert_id_shape(id);
    }
}
