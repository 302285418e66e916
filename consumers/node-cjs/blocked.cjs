// As under a Content-Security-Policy without 'wasm-unsafe-eval': no WebAssembly at all.
const { checkBlocked } = require("./src/check.cjs");

delete globalThis.WebAssembly;
checkBlocked(require("ask-seer-polling")).then((done) => console.log(done));
