//! The JavaScript contract, generated from the Rust types: the TypeScript declarations of every
//! value Rust hands to JavaScript (`js/src/contract.d.ts`, which the package's `.d.ts` includes)
//! and the idle state as a JavaScript constant (`js/src/contract.js`).
//!
//! The test fails when the committed files differ from what generation gives;
//! `ASK_SEER_WRITE_CONTRACT=1 cargo test --lib contract` (`make contract`) writes them.

use crate::core::{
    CLIENT_CONFIG, Chart, Error, ErrorKind, Field, POLLER_CONFIG, PauseReason, Phase, PollResultView, Query, RunIdKind,
    RunIdView, START_REQUEST, Snapshot, View,
};
use ts_rs::{Config, TS};

const DECLARATIONS: &str = "js/src/contract.d.ts";
const IDLE_STATE: &str = "js/src/contract.js";

const HEADER: &str = "// Generated from the Rust types by `make contract` (src/contract.rs): do not edit.\n";
const IDLE_DOC: &str =
    "/** The state of a poller before its first run, as `getSnapshot()` returns it: deeply frozen. */\n";

/// The declaration of `T` with its doc comment: a union as a type, an object as an interface whose
/// fields and arrays are read-only (the values are frozen), one field a line.
fn declare<T: TS>(config: &Config, suffix: &str) -> String {
    let (docs, name, body) = (T::docs().unwrap_or_default(), T::name(config), T::inline(config));
    let Some(fields) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) else {
        return format!("{docs}export type {name} = {body}{suffix};\n");
    };
    let mut out = format!("{docs}export interface {name} {{\n");
    for line in fields.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if line.starts_with('*') {
            out += &format!("   {line}\n");
        } else if line.starts_with("/**") {
            out += &format!("  {line}\n");
        } else {
            // ts-rs writes `name: type, ` after the field's doc comment, which every field has.
            let field = line.strip_suffix(',').filter(|f| !f.contains(',') && f.contains(": "));
            let field = field.unwrap_or_else(|| panic!("{name}: one documented field a line, got {line:?}"));
            out += &format!("  readonly {};\n", field.replace("Array<", "ReadonlyArray<"));
        }
    }
    out + "}\n"
}

/// A configuration interface: `fields`, each with its doc comment, writable (the caller's object).
fn configuration(doc: &str, head: &str, fields: &[&Field]) -> String {
    let mut out = format!("/** {doc} */\nexport interface {head} {{\n");
    for field in fields {
        let optional = if field.optional { "?" } else { "" };
        out += &format!("  /** {} */\n  {}{optional}: {};\n", field.doc, field.name, field.ts);
    }
    out + "}\n"
}

fn declarations() -> String {
    let config = Config::default();
    [
        HEADER.to_owned(),
        declare::<RunIdKind>(&config, ""),
        declare::<RunIdView>(&config, ""),
        declare::<Phase>(&config, ""),
        declare::<PauseReason>(&config, ""),
        // The JavaScript entry reports one kind more, when WebAssembly is unavailable or blocked
        // (a Content-Security-Policy without 'wasm-unsafe-eval').
        declare::<ErrorKind>(&config, " | \"unsupported_environment\""),
        declare::<Error>(&config, ""),
        declare::<Chart>(&config, ""),
        declare::<Query>(&config, ""),
        declare::<PollResultView<()>>(&config, ""),
        declare::<View<()>>(&config, ""),
        format!("{IDLE_DOC}export declare const IDLE_STATE: AskSeerState;\n"),
        configuration("Where requests go and how they are sent.", "ClientConfig", &CLIENT_CONFIG),
        configuration("What to ask the agent.", "StartRequest", &START_REQUEST),
        configuration(
            "An `AskSeerPoller`'s configuration. Durations are in milliseconds. `poller.setOptions` changes \
             any field later: `headers`, `fetch`, the timings, `pauseWhenHidden`, `onSuccess` and `onError` \
             apply to the run under way from its next request or wait; `orgSlug`, `baseUrl`, `projectIds`, \
             `strategy`, `referrer` and `options` apply from the next run started.",
            "PollerConfig extends ClientConfig",
            &POLLER_CONFIG,
        ),
    ]
    .concat()
}

fn idle_state() -> String {
    let idle = serde_json::to_string(&Snapshot::<serde_json::Value>::default()).unwrap();
    format!(
        "{HEADER}{IDLE_DOC}\
         export const IDLE_STATE = /* @__PURE__ */ freeze({idle});\n\
         function freeze(value) {{\n  \
           for (const field of Object.values(value)) if (typeof field === \"object\" && field !== null) freeze(field);\n  \
           return Object.freeze(value);\n\
         }}\n"
    )
}

#[test]
fn generated_files_are_committed() {
    let root = env!("CARGO_MANIFEST_DIR");
    let write = std::env::var_os("ASK_SEER_WRITE_CONTRACT").is_some_and(|v| v == "1");
    let mut stale = Vec::new();
    for (path, generated, committed) in [
        (DECLARATIONS, declarations(), include_str!("../js/src/contract.d.ts")),
        (IDLE_STATE, idle_state(), include_str!("../js/src/contract.js")),
    ] {
        if write {
            std::fs::write(format!("{root}/{path}"), &generated).unwrap();
        } else if generated != committed {
            stale.push(path);
        }
    }
    assert!(stale.is_empty(), "{stale:?} differ from the Rust types: run `make contract` and commit them");
}

/// The union of the names `as_str` gives `kinds`, as ts-rs declares an enum.
fn union(names: impl IntoIterator<Item = &'static str>) -> String {
    names.into_iter().map(|name| format!("\"{name}\"")).collect::<Vec<_>>().join(" | ")
}

/// The enums serialized through a hand-written `as_str` (smaller in the wasm than a derived
/// `Serialize`) are declared with the names it spells, every variant in order.
#[test]
fn declared_names_are_the_serialized_ones() {
    let config = Config::default();
    use ErrorKind::*;
    let kinds = [MissingRunId, InvalidConfig, InvalidRunId, Http, Network, RequestTimeout, Decode, Aborted, Timeout];
    assert_eq!(ErrorKind::inline(&config), union(kinds.map(ErrorKind::as_str)));
    use Phase::*;
    let phases = [Idle, Starting, Polling, Backoff, Paused, Completed, Phase::Error, TimedOut, Gone];
    assert_eq!(Phase::inline(&config), union(phases.map(Phase::as_str)));
    assert_eq!(RunIdKind::inline(&config), union([RunIdKind::Uuid, RunIdKind::Numeric].map(RunIdKind::as_str)));
}
