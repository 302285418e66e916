//! `pickRunId`, `start` and `poll` in Chromium and in Node: real `fetch` against the fixture
//! server for HTTP behaviour, a scripted `fetch` for the rest.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod support;

use ask_seer_polling::wasm::{self, is_ask_seer_error, pick_run_id_js, queries_of_js};
use serde_json::{Value, json};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::AbortController;

const UUID: &str = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const MAX_SAFE: u64 = (1 << 53) - 1;

/// `start` as JavaScript calls it, awaited.
async fn start(config: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(wasm::start(config, request)).await
}

/// `poll` as JavaScript calls it, awaited.
async fn poll(config: JsValue, run_id: JsValue, signal: Option<web_sys::AbortSignal>) -> Result<JsValue, JsValue> {
    JsFuture::from(wasm::poll(config, run_id, signal)).await
}

fn pick(body: Value) -> Result<Value, Value> {
    pick_run_id_js(js(body)).map(|id| json(&id)).map_err(|e| error_fields(&e))
}

fn request(query: &str) -> JsValue {
    js(json!({"query": query, "projectIds": [1, 2], "strategy": "Traces"}))
}

#[wasm_bindgen_test]
fn pick_prefers_the_uuid() {
    assert_eq!(
        pick(json!({"run_id": 4821, "sentry_run_id": UUID})),
        Ok(json!({"kind": "uuid", "value": UUID, "sentryRunId": UUID, "numericRunId": 4821}))
    );
    assert_eq!(pick(json!({"run_id": null, "sentry_run_id": UUID.to_uppercase()})).unwrap()["value"], json!(UUID));
}

#[wasm_bindgen_test]
fn pick_falls_back_to_the_numeric_id() {
    assert_eq!(
        pick(json!({"run_id": 4821})),
        Ok(json!({"kind": "numeric", "value": "4821", "sentryRunId": null, "numericRunId": 4821}))
    );
    let largest = pick(json!({"run_id": MAX_SAFE})).unwrap();
    assert_eq!((&largest["value"], &largest["numericRunId"]), (&json!(MAX_SAFE.to_string()), &json!(MAX_SAFE)));
}

#[wasm_bindgen_test]
fn pick_never_uses_a_malformed_uuid() {
    for bad in [json!(""), json!("abc"), json!("../x"), json!(12), json!(null), json!(UUID.replace('-', "/"))] {
        assert_eq!(pick(json!({"run_id": 7, "sentry_run_id": bad})).unwrap()["value"], json!("7"), "{bad}");
    }
}

#[wasm_bindgen_test]
fn pick_rejects_unusable_numeric_ids() {
    for bad in [json!(1.5), json!(0), json!(-3), json!(MAX_SAFE + 1), json!("4821"), json!(null)] {
        let error = pick(json!({"run_id": bad, "sentry_run_id": "nope"})).unwrap_err();
        assert_eq!(error["kind"], json!("missing_run_id"), "{bad}");
        assert_eq!(error["name"], json!("AskSeerError"));
        assert_eq!(error["isError"], json!(true));
        let message = error["message"].as_str().unwrap();
        assert!(message.contains("sentry_run_id") && message.contains("run_id"), "{message}");
    }
}

#[wasm_bindgen_test]
fn pick_rejects_non_objects() {
    for body in
        [JsValue::NULL, JsValue::UNDEFINED, JsValue::from_str(UUID), JsValue::from_f64(4821.0), js(json!([UUID]))]
    {
        let error = error_fields(&pick_run_id_js(body).unwrap_err());
        assert_eq!(error["kind"], json!("missing_run_id"));
    }
}

#[wasm_bindgen_test]
fn picked_ids_are_frozen() {
    let id = pick_run_id_js(js(json!({"sentry_run_id": UUID}))).unwrap();
    assert!(is_frozen(&id));
}

#[wasm_bindgen_test]
async fn start_sends_the_exact_request() {
    let org = "uuid_start_exact";
    let id = start(server_config(org), js(json!({
        "query": "slow spans in checkout today", "projectIds": [1, -1], "strategy": "Traces", "options": {"model": "fast"}
    })))
    .await
    .unwrap();
    assert_eq!(json(&id)["value"], json!(UUID));
    let log = server_log(org).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["method"], json!("POST"));
    assert_eq!(log[0]["path"], json!(format!("/api/0/organizations/{org}/search-agent/start/")));
    assert_eq!(log[0]["headers"]["content-type"], json!("application/json"));
    assert_eq!(log[0]["headers"]["x-test"], json!("yes"));
    let body: Value = serde_json::from_str(log[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"natural_language_query": "slow spans in checkout today", "project_ids": [1, -1], "strategy": "Traces",
               "referrer": "search_bar", "options": {"model": "fast"}})
    );
}

#[wasm_bindgen_test]
async fn start_with_an_injected_fetch() {
    let fetch = Scripted::new(json!([ok(support::fixture("start-legacy"))]));
    let config = fetch
        .config("acme", json!({"baseUrl": "https://sentry.example/api/0/", "headers": {"Authorization": "Bearer t"}}));
    let id = start(config, js(json!({"query": "q", "projectIds": [], "strategy": "Logs", "referrer": "explore"})))
        .await
        .unwrap();
    assert_eq!(json(&id)["kind"], json!("numeric"));
    let calls = fetch.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["url"], json!("https://sentry.example/api/0/organizations/acme/search-agent/start/"));
    assert_eq!(calls[0]["method"], json!("POST"));
    assert_eq!(calls[0]["credentials"], json!("same-origin"));
    assert_eq!(calls[0]["headers"], json!({"Authorization": "Bearer t", "Content-Type": "application/json"}));
    let body: Value = serde_json::from_str(calls[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"natural_language_query": "q", "project_ids": [], "strategy": "Logs", "referrer": "explore"})
    );
}

#[wasm_bindgen_test]
async fn start_errors_carry_status_and_detail() {
    for (org, status, detail) in [
        ("forbidden_start", json!(403), json!("You do not have access to this feature.")),
        ("crash_start", json!(500), json!("Internal error")),
        ("badrequest_start", json!(400), json!(null)),
        ("html_start", json!(502), json!(null)),
    ] {
        let error = error_fields(&start(server_config(org), request("q")).await.unwrap_err());
        assert_eq!((&error["kind"], &error["status"], &error["detail"]), (&json!("http"), &status, &detail), "{org}");
    }
    let error = error_fields(&start(server_config("noids_start"), request("q")).await.unwrap_err());
    assert_eq!(error["kind"], json!("missing_run_id"));
    let error = error_fields(&start(server_config("garbage_start"), request("q")).await.unwrap_err());
    assert_eq!((&error["kind"], &error["status"]), (&json!("decode"), &json!(null)));
}

#[wasm_bindgen_test]
async fn invalid_config_sends_nothing() {
    let fetch = Scripted::new(json!([ok(support::fixture("start-uuid"))]));
    let bad_configs = [
        fetch.config("", json!({})),
        fetch.config("acme/../x", json!({})),
        fetch.config("acme?x=1", json!({})),
        fetch.config("acme", json!({"baseUrl": "/api/0?x="})),
        fetch.config("acme", json!({"headers": {"Bad Name": "x"}})),
        set(&js(json!({"orgSlug": "acme"})), "fetch", &JsValue::from_str("not a function")),
        JsValue::UNDEFINED,
    ];
    for config in bad_configs {
        let error = error_fields(&start(config, request("q")).await.unwrap_err());
        assert_eq!(error["kind"], json!("invalid_config"), "{error}");
    }
    for bad in [
        json!({"query": "q", "projectIds": [1.5], "strategy": "Traces"}),
        json!({"query": "q", "projectIds": ["1"], "strategy": "Traces"}),
        json!({"query": "q"}),
    ] {
        let error = error_fields(&start(fetch.config("acme", json!({})), js(bad.clone())).await.unwrap_err());
        assert_eq!(error["kind"], json!("invalid_config"), "{bad}");
    }
    let error =
        error_fields(&poll(fetch.config("acme", json!({})), JsValue::from_str("../x"), None).await.unwrap_err());
    assert_eq!(error["kind"], json!("invalid_run_id"));
    for bad in [json!(0), json!(1.5), json!(-2), json!(""), json!({"value": "../etc"}), json!(null)] {
        let error = error_fields(&poll(fetch.config("acme", json!({})), js(bad.clone()), None).await.unwrap_err());
        assert_eq!(error["kind"], json!("invalid_run_id"), "{bad}");
    }
    assert!(fetch.calls().is_empty());
}

#[wasm_bindgen_test]
async fn poll_decodes_the_status_only_session() {
    let result = poll(server_config("pending_poll"), JsValue::from_str(UUID), None).await.unwrap();
    let result = json(&result);
    assert_eq!(result["keepPolling"], json!(true));
    // The session is the object `JSON.parse` made: nothing is added to it.
    assert_eq!(result["session"], json!({"status": "processing"}));
    assert_eq!(result["sentryRunId"], json!(null));
}

#[wasm_bindgen_test]
async fn poll_decodes_the_full_fixtures() {
    let org = "processing_poll";
    let result = json(&poll(server_config(org), JsValue::from_f64(4821.0), None).await.unwrap());
    assert_eq!(result["keepPolling"], json!(true));
    assert_eq!(result["sentryRunId"], json!(UUID));
    assert_eq!(result["session"]["current_step"], json!({"key": "get_field_values"}));
    assert_eq!(server_log(org).await[0]["path"], json!(format!("/api/0/organizations/{org}/search-agent/state/4821/")));

    let completed = pick_run_id_js(js(json!({"run_id": 4821, "sentry_run_id": UUID}))).unwrap();
    let result = poll(server_config("completed_poll"), completed, None).await.unwrap();
    assert!(is_frozen(&result));
    let result = json(&result);
    assert_eq!(result["keepPolling"], json!(false));
    let fixture: Value = serde_json::from_str(support::fixture("state-completed")).unwrap();
    assert_eq!(result["session"]["final_response"], fixture["session"]["final_response"]);
    assert_eq!(result["session"]["final_query"], fixture["session"]["final_query"]);
    assert_eq!(result["session"]["completed_steps"], fixture["session"]["completed_steps"]);
    assert_eq!(result["session"]["org_slug"], json!("acme"));
    assert_eq!(
        server_log("completed_poll").await[0]["path"],
        json!(format!("/api/0/organizations/completed_poll/search-agent/state/{UUID}/"))
    );

    let result = json(&poll(server_config("unsupported_poll"), JsValue::from_str(UUID), None).await.unwrap());
    assert_eq!(result["session"]["unsupported_reason"], json!("Comparing two releases is not supported yet."));
    assert_eq!(result["keepPolling"], json!(false));
}

#[wasm_bindgen_test]
async fn poll_error_bodies() {
    for (org, status, detail) in [
        ("notfound_poll", json!(404), json!(null)),
        ("invalid_poll", json!(400), json!("Invalid run_id")),
        ("forbidden_poll", json!(403), json!("You do not have access to this feature.")),
        ("crash_poll", json!(500), json!("Internal error")),
        ("html_poll", json!(502), json!(null)),
        ("empty_poll", json!(503), json!(null)),
    ] {
        let error = error_fields(&poll(server_config(org), JsValue::from_str(UUID), None).await.unwrap_err());
        assert_eq!((&error["kind"], &error["status"], &error["detail"]), (&json!("http"), &status, &detail), "{org}");
        assert!(is_ask_seer_error(poll(server_config(org), JsValue::from_str(UUID), None).await.unwrap_err()));
    }
    let error = error_fields(&poll(server_config("garbage_poll"), JsValue::from_str(UUID), None).await.unwrap_err());
    assert_eq!(error["kind"], json!("decode"));
}

#[wasm_bindgen_test]
async fn network_failure() {
    let config = js(json!({"orgSlug": "acme", "baseUrl": "http://127.0.0.1:9/api/0"}));
    let error = error_fields(&poll(config, JsValue::from_str(UUID), None).await.unwrap_err());
    assert_eq!((&error["kind"], &error["status"]), (&json!("network"), &json!(null)));
    let fetch = Scripted::new(json!([{"networkError": "connection reset"}]));
    let error = error_fields(&start(fetch.config("acme", json!({})), request("q")).await.unwrap_err());
    assert_eq!(error["kind"], json!("network"));
    assert!(error["message"].as_str().unwrap().contains("connection reset"), "{error}");
}

#[wasm_bindgen_test]
async fn aborted_poll() {
    let controller = AbortController::new().unwrap();
    let pending = poll(server_config("slow_abort"), JsValue::from_str(UUID), Some(controller.signal()));
    let aborter = controller.clone();
    wasm_bindgen_futures::spawn_local(async move {
        sleep(50).await;
        aborter.abort();
    });
    assert_eq!(error_fields(&pending.await.unwrap_err())["kind"], json!("aborted"));
    assert_eq!(server_log("slow_abort").await.len(), 1);

    let fetch = Scripted::new(json!([ok(support::fixture("state-pending"))]));
    let controller = AbortController::new().unwrap();
    controller.abort();
    let error = error_fields(
        &poll(fetch.config("acme", json!({})), JsValue::from_str(UUID), Some(controller.signal())).await.unwrap_err(),
    );
    assert_eq!(error["kind"], json!("aborted"));
    assert!(fetch.calls().is_empty());
}

/// Polls once with a scripted `fetch` answering `answer`.
async fn poll_answer(answer: Value) -> Result<Value, Value> {
    let fetch = Scripted::new(json!([answer]));
    poll(fetch.config("acme", json!({})), JsValue::from_str(UUID), None)
        .await
        .map(|r| json(&r))
        .map_err(|e| error_fields(&e))
}

/// Starts once with a scripted `fetch` answering `body` with a 200.
async fn start_answer(body: &str) -> Result<Value, Value> {
    let fetch = Scripted::new(json!([ok(body)]));
    start(fetch.config("acme", json!({})), request("q")).await.map(|id| json(&id)).map_err(|e| error_fields(&e))
}

#[wasm_bindgen_test]
async fn bodies_that_are_not_json_are_decode_errors() {
    for body in ["<html><body>Sign in</body></html>", "", "   ", r#"{"session": {"status": "proc"#, "{not json"] {
        let error = poll_answer(ok(body)).await.unwrap_err();
        assert_eq!((&error["kind"], &error["status"]), (&json!("decode"), &json!(null)), "{body:?}");
        let message = error["message"].as_str().unwrap();
        assert!(message.starts_with("state response body (HTTP 200) is not"), "{message}");
        assert_eq!(start_answer(body).await.unwrap_err()["kind"], json!("decode"), "{body:?}");
    }
}

/// How many levels of single-element arrays `value` holds, walked without recursion; each level frozen.
fn frozen_depth(mut value: JsValue) -> usize {
    let mut depth = 0;
    while js_sys::Array::is_array(&value) {
        assert!(is_frozen(&value), "level {depth} is not frozen");
        value = js_sys::Array::from(&value).get(0);
        depth += 1;
    }
    depth
}

#[wasm_bindgen_test]
async fn a_body_nested_20000_levels_deep_passes_through_and_the_instance_lives_on() {
    let deep = format!(
        r#"{{"session": {{"status": "completed", "final_response": {{"query": {}1{}}}}}}}"#,
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    let fetch = Scripted::new(json!([ok(&deep)]));
    let result = poll(fetch.config("acme", json!({})), JsValue::from_str(UUID), None).await.unwrap();
    let session = field(&result, "session");
    let query = field(&field(&session, "final_response"), "query");
    assert_eq!(frozen_depth(query), 20_000);
    let deep_object = format!(r#"{{"run_id": 7, "x": {}1{}}}"#, r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    assert_eq!(start_answer(&deep_object).await.unwrap()["value"], json!("7"));
    // The module did not trap: it still decodes.
    let fine = poll_answer(ok(support::fixture("state-completed"))).await.unwrap();
    assert_eq!(fine["keepPolling"], json!(false));
}

#[wasm_bindgen_test]
async fn numbers_read_as_json_parse_reads_them() {
    // 12.0 and 1.2e1 are the number 12 to `JSON.parse`: the id 12.
    for body in [r#"{"run_id": 12.0}"#, r#"{"run_id": 1.2e1}"#] {
        assert_eq!(start_answer(body).await.unwrap()["value"], json!("12"), "{body}");
    }
    // Past 2^53 - 1 the engine rounds: refused, and the rounded number is never shown.
    let error = start_answer(r#"{"run_id": 9007199254740993}"#).await.unwrap_err();
    assert_eq!(error["kind"], json!("missing_run_id"));
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("`run_id` is a number beyond 2^53 - 1"), "{message}");
    assert!(!message.contains("9007199254740992"), "{message}");
    // 1e400 is Infinity to the engine: no id where an id is read, and passed on as it is elsewhere.
    let error = start_answer(r#"{"run_id": 1e400}"#).await.unwrap_err();
    assert_eq!(error["kind"], json!("missing_run_id"));
    assert!(error["message"].as_str().unwrap().contains("`run_id` is a non-finite number"), "{error}");
    let infinite = r#"{"session": {"status": "completed", "final_response": {"query": "q", "x": 1e400}}}"#;
    let fetch = Scripted::new(json!([ok(infinite)]));
    let result = poll(fetch.config("acme", json!({})), JsValue::from_str(UUID), None).await.unwrap();
    let x = field(&field(&field(&result, "session"), "final_response"), "x");
    assert_eq!(x.as_f64(), Some(f64::INFINITY));
}

#[wasm_bindgen_test]
async fn proto_and_constructor_keys_stay_own_data_properties() {
    let body = r#"{"session": {"status": "completed", "final_response": {"query": "q", "__proto__": {"polluted": "yes"}, "constructor": {"name": "x"}}}}"#;
    let fetch = Scripted::new(json!([ok(body)]));
    let result = poll(fetch.config("acme", json!({})), JsValue::from_str(UUID), None).await.unwrap();
    let response = field(&field(&result, "session"), "final_response");
    assert!(has_own(&response, "__proto__") && has_own(&response, "constructor"));
    assert!(is_plain_object(&response), "the prototype is Object.prototype");
    assert!(field(&response, "polluted").is_undefined(), "nothing inherited from the data");
    assert_eq!(json(&field(&response, "__proto__")), json!({"polluted": "yes"}));
}

#[wasm_bindgen_test]
async fn the_last_of_duplicate_keys_wins() {
    assert_eq!(start_answer(r#"{"run_id": 1, "run_id": 7}"#).await.unwrap()["value"], json!("7"));
    let body = r#"{"session": {"status": "processing", "status": "completed", "final_response": {"query": "a", "query": "b"}}}"#;
    let result = poll_answer(ok(body)).await.unwrap();
    assert_eq!(result["session"]["status"], json!("completed"));
    assert_eq!(result["session"]["final_response"], json!({"query": "b"}));
}

#[wasm_bindgen_test]
fn queries_of_normalises_both_shapes_and_never_throws() {
    let final_response = |name: &str| {
        js(serde_json::from_str::<Value>(support::fixture(name)).unwrap()["session"]["final_response"].clone())
    };
    let today = json(&queries_of_js(final_response("state-completed")));
    assert_eq!(today.as_array().unwrap().len(), 2);
    assert_eq!(today[0]["query"], json!("span.duration:>500ms transaction:*checkout*"));
    assert_eq!(
        today[0]["visualizations"],
        json!([{"chartType": 1, "yAxes": ["p95(span.duration)"], "interval": null}])
    );
    assert_eq!((&today[0]["resultCount"], &today[1]["resultCount"]), (&json!(128), &json!(null)));
    assert_eq!((&today[1]["start"], &today[1]["statsPeriod"]), (&json!("2026-05-11T00:00:00"), &json!("")));
    let legacy = json(&queries_of_js(final_response("state-completed-single-legacy")));
    assert_eq!(
        legacy,
        json!([{"query": "span.duration:>30s", "groupBys": [], "visualizations": [{"chartType": 1, "yAxes": ["count()"], "interval": null}],
                "sort": "-span.duration", "statsPeriod": "24h", "start": null, "end": null, "mode": "samples",
                "resultCount": null, "spanQuery": null, "logQuery": null, "metricQuery": null}])
    );
    assert_eq!(json(&queries_of_js(final_response("state-unsupported"))), json!([]));
    // Only the fields a query is built from are read: what else an entry holds does not matter.
    let deep = format!(r#"{{"responses": [{{"query": "q", "x": {}1{}}}]}}"#, "[".repeat(20_000), "]".repeat(20_000));
    assert_eq!(json(&queries_of_js(support::parse_text(&deep)))[0]["query"], json!("q"));
    let cyclic = js(json!({"responses": []}));
    set(&cyclic, "self", &cyclic);
    for odd in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_str("q"), js(json!([1])), cyclic] {
        let queries = queries_of_js(odd);
        assert!(js_sys::Array::is_array(&queries));
        assert_eq!(json(&queries), json!([]));
    }
}
