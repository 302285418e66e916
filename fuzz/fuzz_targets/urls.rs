//! `Endpoints::new` with any slug and base URL, and `RunId::parse` with any text: every URL
//! built stays under `{base}/organizations/{slug}/search-agent/`.

#![no_main]

use arbitrary::Arbitrary;
use ask_seer_polling::core::DEFAULT_BASE_URL;
use ask_seer_polling::core::{Endpoints, ErrorKind, RunId};
use ask_seer_polling_fuzz::{assert_id_shape, assert_url_shape};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    slug: &'a str,
    base: Option<&'a str>,
    id: &'a str,
}

fuzz_target!(|input: Input<'_>| {
    let id = RunId::parse(input.id);
    match &id {
        Ok(id) => assert_id_shape(&id.to_string()),
        Err(error) => assert_eq!(error.kind, ErrorKind::InvalidRunId),
    }
    let endpoints = match Endpoints::new(input.slug, input.base) {
        Ok(endpoints) => endpoints,
        Err(error) => return assert_eq!(error.kind, ErrorKind::InvalidConfig),
    };
    let base = input.base.unwrap_or(DEFAULT_BASE_URL);
    let base_ok = !base.chars().any(|c| c.is_whitespace() || c.is_control() || c == '?' || c == '#');
    assert!(base_ok, "base URL {base:?} was accepted");
    assert_url_shape(&endpoints.start_url(), base, input.slug);
    if let Ok(id) = id {
        assert_url_shape(&endpoints.state_url(&id), base, input.slug);
    }
});
