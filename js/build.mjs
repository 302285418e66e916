/**
 * Assembles the npm package in `pkg/` from wasm-pack's bundler build (`build/bundler`), the
 * wasm-bindgen web glue (`build/web`) and the React hook (`js/src/react`):
 *
 *   index.js, index.cjs      the default entry: glue and wasm (inlined, base64) in one file each
 *   index.d.ts, index.d.cts  its types
 *   bundler/                 the lean entry, `ask-seer-polling/bundler`: glue + separate .wasm
 *   react/                   `ask-seer-polling/react`: useAskSeerPolling
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const JS = join(ROOT, "js");
const PKG = join(ROOT, "pkg");
const BUNDLER = join(ROOT, "build", "bundler");
const WEB = join(ROOT, "build", "web");
const NAME = "ask_seer_polling";
/** Generated from the Rust types (src/contract.rs): the declarations and the idle state. */
const CONTRACT_TYPES = join(JS, "src", "contract.d.ts");
const CONTRACT_JS = join(JS, "src", "contract.js");
const TARGET = "es2022";

/** The one `js/src/glue.js` snippet among wasm-bindgen's snippets in `dir`. */
function glueSnippet(dir) {
  const found = readdirSync(join(dir, "snippets"), { recursive: true })
    .map(String)
    .filter((path) => path.endsWith(join("js", "src", "glue.js")));
  if (found.length !== 1) throw new Error(`expected one glue.js snippet in ${dir}, found ${found.length}`);
  return join(dir, "snippets", found[0] ?? "");
}

/**
 * The `.d.ts` wasm-bindgen writes, made to type-check on any `lib` with `skipLibCheck: false`:
 * `[Symbol.dispose]` needs `lib: ["esnext.disposable"]`, so it is left to `dispose()`.
 */
function portableTypes(text) {
  return text.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, "");
}

/**
 * wasm-bindgen's web glue lists one snippet once per import of it, under the same key, in the
 * imports object it instantiates the wasm with; bundlers warn about the repeated keys. All of
 * them name the same module, so the first is kept.
 */
function withoutRepeatedImportKeys(text) {
  const seen = new Set();
  return text
    .split("\n")
    .filter((line) => {
      const key = /^\s*("\.\/snippets\/[^"]+"): import\d+,?$/.exec(line)?.[1];
      if (key === undefined) return true;
      const first = !seen.has(key);
      seen.add(key);
      return first;
    })
    .join("\n");
}

/** Names a module exports, read by esbuild. */
async function exportsOf(entry, options = {}) {
  const result = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, metafile: true, format: "esm", outdir: "out", logLevel: "error", ...options });
  return Object.values(result.metafile.outputs).flatMap((output) => output.exports).sort();
}

/**
 * The lean entry: wasm-pack's bundler output as it is, the wasm imported as an ES module, and the
 * idle state (`contract.js`) exported beside the wasm's exports.
 */
function copyLeanEntry() {
  const out = join(PKG, "bundler");
  mkdirSync(out, { recursive: true });
  for (const file of [`${NAME}_bg.js`, `${NAME}_bg.wasm`, `${NAME}_bg.wasm.d.ts`]) cpSync(join(BUNDLER, file), join(out, file));
  const entry = readFileSync(join(BUNDLER, `${NAME}.js`), "utf8");
  writeFileSync(join(out, `${NAME}.js`), `${entry}export { IDLE_STATE } from "./contract.js";\n`);
  cpSync(CONTRACT_JS, join(out, "contract.js"));
  cpSync(join(BUNDLER, "snippets"), join(out, "snippets"), { recursive: true });
  const types = portableTypes(readFileSync(join(BUNDLER, `${NAME}.d.ts`), "utf8"));
  // wasm-bindgen re-indents the declarations it includes: they are compared line by line, trimmed.
  const trimmed = (text) => text.split("\n").map((line) => line.trim()).join("\n");
  if (!trimmed(types).includes(trimmed(readFileSync(CONTRACT_TYPES, "utf8")))) {
    throw new Error(`${NAME}.d.ts does not carry js/src/contract.d.ts as generated`);
  }
  writeFileSync(join(out, `${NAME}.d.ts`), types);
  return types;
}

/** The default entry, bundled with esbuild as ESM and as CommonJS, the wasm inlined. */
async function buildDefaultEntry(types) {
  const virtual = {
    "ask-seer-polling:web-glue": join(WEB, `${NAME}.js`),
    "ask-seer-polling:errors": glueSnippet(WEB),
    "ask-seer-polling:wasm": join(BUNDLER, `${NAME}_bg.wasm`),
    "ask-seer-polling:contract": CONTRACT_JS,
  };
  const resolveVirtual = {
    name: "ask-seer-polling-parts",
    setup(build) {
      build.onResolve({ filter: /^ask-seer-polling:/ }, (args) => ({ path: virtual[args.path] }));
      build.onLoad({ filter: /\.js$/ }, (args) =>
        args.path === virtual["ask-seer-polling:web-glue"]
          ? { contents: withoutRepeatedImportKeys(readFileSync(args.path, "utf8")), loader: "js", resolveDir: WEB }
          : undefined,
      );
    },
  };
  for (const [format, file] of [["esm", "index.js"], ["cjs", "index.cjs"]]) {
    await esbuild.build({
      entryPoints: [join(JS, "src", "inline.js")],
      outfile: join(PKG, file),
      bundle: true,
      format,
      platform: "neutral",
      target: TARGET,
      loader: { ".wasm": "binary" },
      plugins: [resolveVirtual],
      logLevel: "warning",
      // The web glue's async loader, its one use of `import.meta`, is left out of the bundle.
      logOverride: { "empty-import-meta": "silent" },
    });
  }
  const lean = await exportsOf(join(PKG, "bundler", `${NAME}.js`), { external: ["*.wasm"] });
  const inline = await exportsOf(join(PKG, "index.js"));
  if (JSON.stringify(lean) !== JSON.stringify(inline)) {
    throw new Error(`js/src/inline.js exports ${inline.join(", ")}; the wasm exports ${lean.join(", ")}: update js/src/inline.js`);
  }
  writeFileSync(join(PKG, "index.d.ts"), types);
  writeFileSync(join(PKG, "index.d.cts"), types);
}

/** `react/`: the hook compiled by tsc (ESM and its types), then bundled by esbuild as CommonJS. */
async function buildReact() {
  execFileSync(join(JS, "node_modules", ".bin", "tsc"), ["-p", join(JS, "src", "react", "tsconfig.json")], { stdio: "inherit" });
  const out = join(PKG, "react");
  await esbuild.build({
    entryPoints: [join(out, "useAskSeerPolling.js")],
    outfile: join(out, "useAskSeerPolling.cjs"),
    bundle: true,
    format: "cjs",
    platform: "neutral",
    target: TARGET,
    external: ["react", "ask-seer-polling"],
    logLevel: "warning",
  });
  cpSync(join(out, "useAskSeerPolling.d.ts"), join(out, "useAskSeerPolling.d.cts"));
}

/** package.json: wasm-pack's (from Cargo.toml) with the entries, the peer and the metadata. */
function writeManifest() {
  const generated = JSON.parse(readFileSync(join(BUNDLER, "package.json"), "utf8"));
  const repository = generated.repository.url;
  const manifest = {
    name: generated.name,
    version: generated.version,
    description: generated.description,
    license: generated.license,
    repository: generated.repository,
    homepage: `${repository}#readme`,
    bugs: { url: `${repository}/issues` },
    keywords: [...generated.keywords, "react", "webassembly", "hook"],
    type: "module",
    engines: { node: ">=20" },
    main: "./index.cjs",
    module: "./index.js",
    types: "./index.d.ts",
    exports: {
      ".": {
        import: { types: "./index.d.ts", default: "./index.js" },
        require: { types: "./index.d.cts", default: "./index.cjs" },
        default: "./index.js",
      },
      "./bundler": { types: `./bundler/${NAME}.d.ts`, default: `./bundler/${NAME}.js` },
      "./react": {
        import: { types: "./react/useAskSeerPolling.d.ts", default: "./react/useAskSeerPolling.js" },
        require: { types: "./react/useAskSeerPolling.d.cts", default: "./react/useAskSeerPolling.cjs" },
        default: "./react/useAskSeerPolling.js",
      },
      "./package.json": "./package.json",
    },
    files: ["index.js", "index.cjs", "index.d.ts", "index.d.cts", "bundler/", "react/"],
    sideEffects: [`./bundler/${NAME}.js`, "./bundler/snippets/*"],
    peerDependencies: { react: ">=18" },
    peerDependenciesMeta: { react: { optional: true } },
  };
  writeFileSync(join(PKG, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

rmSync(PKG, { recursive: true, force: true });
mkdirSync(PKG);
const types = copyLeanEntry();
await buildDefaultEntry(types);
await buildReact();
writeManifest();
for (const file of ["README.md", "LICENSE"]) cpSync(join(ROOT, file), join(PKG, file));
console.log(`the package is in ${PKG}`);
