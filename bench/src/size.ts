/** Bytes of the release package, raw and gzip level 9, next to TanStack Query's `useQuery` path. */
import { build } from "esbuild";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { BENCH_DIR, PKG_DIR } from "./paths";
import { wasmEsm } from "./wasmEsm";

/** A byte count raw and after gzip level 9. */
export interface Bytes {
  readonly raw: number;
  readonly gzip: number;
}

export interface SizeFigures {
  /** `ask_seer_polling_bg.wasm`. */
  readonly wasm: Bytes;
  /** Every `.js` file of the package, `snippets/` included, each compressed on its own. */
  readonly glue: Bytes;
  /** The same glue bundled with `esbuild --minify`, as an app would ship it (with the few lines that instantiate the wasm). */
  readonly glueMinified: Bytes;
  /** `@tanstack/react-query`'s `useQuery`, `QueryClient` and `QueryClientProvider`, `esbuild --minify`, React external. */
  readonly anchor: Bytes;
}

function measure(content: Uint8Array | string): Bytes {
  const bytes = typeof content === "string" ? Buffer.from(content) : content;
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

function sum(parts: readonly Bytes[]): Bytes {
  return parts.reduce((total, part) => ({ raw: total.raw + part.raw, gzip: total.gzip + part.gzip }), { raw: 0, gzip: 0 });
}

/** The JavaScript of one minified ES module of `entry`, bundled from `bench/`. */
async function minified(entry: string, external: string[]): Promise<Bytes> {
  const result = await build({
    outdir: join(BENCH_DIR, "dist-size"),
    plugins: [wasmEsm],
    stdin: { contents: entry, resolveDir: BENCH_DIR, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external,
    define: { "process.env.NODE_ENV": '"production"' },
    write: false,
    logLevel: "warning",
  });
  return sum(result.outputFiles.filter((file) => file.path.endsWith(".js")).map((file) => measure(file.contents)));
}

export async function measureSizes(): Promise<SizeFigures> {
  const lean = join(PKG_DIR, "bundler");
  const files = await readdir(lean, { recursive: true });
  const glueFiles = files.filter((file) => file.endsWith(".js")).sort();
  if (!glueFiles.some((file) => file.startsWith("snippets"))) throw new Error(`no snippets in ${lean}`);
  const glue = sum(await Promise.all(glueFiles.map(async (file) => measure(await readFile(join(lean, file))))));
  return {
    wasm: measure(await readFile(join(lean, "ask_seer_polling_bg.wasm"))),
    glue,
    glueMinified: await minified('export * from "ask-seer-polling/bundler";', []),
    anchor: await minified('export { useQuery, QueryClient, QueryClientProvider } from "@tanstack/react-query";', [
      "react",
      "react/jsx-runtime",
    ]),
  };
}
