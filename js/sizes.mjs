/**
 * Bytes of the built package per entry: every file an entry loads, raw and gzip -9, each file
 * compressed on its own.
 *
 * - `inline`, the default entry (`ask-seer-polling`): `index.js`, which carries the wasm in base64
 *   (`index.cjs` is its CommonJS twin, loaded instead of it, never beside it).
 * - `lean`, `ask-seer-polling/bundler`: the `.wasm` file and every JavaScript file of `bundler/`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** A file's size raw and after gzip -9. */
export function measure(bytes) {
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

function entry(pkgDir, files) {
  const measured = files.map((path) => ({ path, ...measure(readFileSync(join(pkgDir, path))) }));
  return {
    files: measured,
    raw: measured.reduce((total, file) => total + file.raw, 0),
    gzip: measured.reduce((total, file) => total + file.gzip, 0),
  };
}

/** The files each entry loads, measured. */
export function entrySizes(pkgDir) {
  const lean = readdirSync(join(pkgDir, "bundler"), { recursive: true })
    .map(String)
    .filter((path) => path.endsWith(".js") || path.endsWith(".wasm"))
    .sort()
    .map((path) => join("bundler", path));
  if (!lean.some((path) => path.endsWith(".wasm"))) throw new Error(`no .wasm in ${pkgDir}/bundler`);
  return { inline: entry(pkgDir, ["index.js"]), lean: entry(pkgDir, lean) };
}
