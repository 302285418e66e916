/**
 * A failed load of the app's code, as the error the page shows. The package's default entry
 * always loads and reports blocked WebAssembly from `new AskSeerPoller()`; its lean entry
 * (`ask-seer-polling/bundler`) is instantiated by the bundler's loader while the module loads,
 * so there a blocked WebAssembly fails the load itself with the browser's `CompileError`.
 */
import type { AskSeerErrorInfo } from "ask-seer-polling";

/** The `unsupported_environment` error for a load that WebAssembly failed, or `null` for any other failure. */
export function loadFailure(error: unknown): AskSeerErrorInfo | null {
  if (typeof WebAssembly === "undefined" || !(error instanceof WebAssembly.CompileError)) return null;
  return {
    kind: "unsupported_environment",
    message:
      `ask-seer-polling could not load its WebAssembly, which is blocked here (${error.message}). ` +
      "Under a Content-Security-Policy, allow it with script-src 'wasm-unsafe-eval'.",
    status: null,
    detail: null,
  };
}
