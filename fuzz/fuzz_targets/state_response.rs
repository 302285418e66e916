//! `decode_poll` on any status and body.

#![no_main]

use ask_seer_polling::core::{ErrorKind, HttpResponse, Session, decode_poll};
use ask_seer_polling_fuzz::{is_success, status_and_body};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((status, body)) = status_and_body(data) else { return };
    match decode_poll(HttpResponse { status, body: body.as_str() }) {
        Ok(result) => {
            assert!(is_success(status), "HTTP {status} was decoded");
            assert_eq!(result.keep_polling, result.session.as_ref().is_some_and(Session::keep_polling));
            assert!(body.trim_start().starts_with('{'), "decoded a body that is not an object");
            // `Value` refuses numbers beyond f64 that the decoder skips in fields it ignores.
            if let Ok(json) = serde_json::from_str::<Value>(&body) {
                let status_sent = json.get("session").and_then(|s| s.get("status")).and_then(Value::as_str);
                assert_eq!(result.session.as_ref().map(|s| s.status.as_str()), status_sent);
            }
        }
        Err(error) if is_success(status) => assert_eq!(error.kind, ErrorKind::Decode, "{error}"),
        Err(error) => assert_eq!((error.kind, error.status), (ErrorKind::Http, Some(status))),
    }
});
