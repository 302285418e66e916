//! `decode_start` on any status and body, and `pick_run_id` on any JSON the body parses to.

#![no_main]

use ask_seer_polling::core::{ErrorKind, HttpResponse, decode_start, pick_run_id};
use ask_seer_polling_fuzz::{assert_id_shape, is_success, status_and_body};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((status, body)) = status_and_body(data) else { return };
    let decoded = decode_start(HttpResponse { status, body: body.as_str() });
    match &decoded {
        Ok(id) => {
            assert!(is_success(status), "HTTP {status} gave run id {id}");
            assert_id_shape(&id.to_string());
        }
        Err(failure) if is_success(status) => {
            let kind = failure.error.kind;
            assert!(matches!(kind, ErrorKind::Decode | ErrorKind::MissingRunId), "{kind:?} for HTTP {status}");
            assert_eq!(failure.retry_token, None);
        }
        Err(failure) => {
            assert_eq!((failure.error.kind, failure.error.status), (ErrorKind::Http, Some(status)));
            assert!(status >= 500 || failure.retry_token.is_none(), "retry token on HTTP {status}");
        }
    }
    let Ok(json) = serde_json::from_str::<Value>(&body) else { return };
    let picked = pick_run_id(&json);
    match &picked {
        Ok(id) => {
            assert_id_shape(&id.to_string());
            if !id.is_uuid() {
                // `12.0` is the id 12, as `JSON.parse` reads it.
                let sent = json.get("run_id").and_then(Value::as_f64).filter(|n| n.fract() == 0.0);
                assert_eq!(id.numeric_run_id().map(|id| id as f64), sent);
            }
        }
        Err(error) => assert_eq!(error.kind, ErrorKind::MissingRunId),
    }
    if is_success(status) && json.is_object() {
        assert_eq!(decoded.ok(), picked.ok(), "decode_start and pick_run_id disagree on {json}");
    }
});
