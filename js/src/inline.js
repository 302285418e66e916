/**
 * The package's default entry. The WebAssembly module is inlined and instantiated synchronously
 * when this module is first evaluated, so it needs no loader, bundler plugin or top-level await.
 *
 * Where WebAssembly cannot be compiled (a Content-Security-Policy without 'wasm-unsafe-eval', or
 * a runtime without WebAssembly), importing still succeeds: `new AskSeerPoller()` and
 * `pickRunId` and `queriesOf` throw, and `start` and `poll` reject, with an `AskSeerError` of kind
 * `unsupported_environment`.
 */
import * as glue from "ask-seer-polling:web-glue";
import { instanceOfAskSeerError, makeError } from "ask-seer-polling:errors";
import wasm from "ask-seer-polling:wasm";

export { IDLE_STATE } from "ask-seer-polling:contract";

const blockedReason = instantiate();

/** Instantiates the module; returns why it could not be, or `null`. */
function instantiate() {
  try {
    glue.initSync({ module: wasm });
    return null;
  } catch (cause) {
    return cause instanceof Error ? cause.message : String(cause);
  }
}

/** The error every call reports when WebAssembly is unavailable. */
function unsupported() {
  return makeError(
    "unsupported_environment",
    `ask-seer-polling needs WebAssembly, which is unavailable or blocked here (${blockedReason}). ` +
      "Under a Content-Security-Policy, allow it with script-src 'wasm-unsafe-eval'.",
    null,
    null,
  );
}

const ready = blockedReason === null;

export const AskSeerPoller = ready
  ? glue.AskSeerPoller
  : class AskSeerPoller {
      constructor() {
        throw unsupported();
      }
    };
export const pickRunId = ready
  ? glue.pickRunId
  : () => {
      throw unsupported();
    };
export const queriesOf = ready
  ? glue.queriesOf
  : () => {
      throw unsupported();
    };
export const start = ready ? glue.start : () => Promise.reject(unsupported());
export const poll = ready ? glue.poll : () => Promise.reject(unsupported());
export const isAskSeerError = ready ? glue.isAskSeerError : instanceOfAskSeerError;
