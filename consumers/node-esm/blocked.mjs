// As under a Content-Security-Policy without 'wasm-unsafe-eval': no WebAssembly at all.
import { checkBlocked } from "./src/check.js";

delete globalThis.WebAssembly;
console.log(await checkBlocked(await import("ask-seer-polling")));
