/**
 * Bytes of the release package, per entry, as built and as an application bundler ships it,
 * next to TanStack Query's `useQuery` path; and the wasm's bytes per crate, from twiggy.
 */
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { entrySizes, measure, type Bytes, type EntrySize } from "../../js/sizes.mjs";
import { BENCH_DIR, PKG_DIR, UNOPTIMIZED_WASM } from "./paths";
import { wasmEsm } from "./wasmEsm";

export type { Bytes };

/** Bytes of one crate (or part) of the wasm. */
export interface CrateBytes {
  readonly name: string;
  readonly bytes: number;
}

export interface SizeFigures {
  /** The default entry as built: `index.js`, the wasm inlined in base64. */
  readonly inline: EntrySize;
  /** `ask-seer-polling/bundler` as built: the `.wasm` and its glue. */
  readonly lean: EntrySize;
  /** The default entry bundled with `esbuild --minify`: one JavaScript file. */
  readonly inlineMinified: Bytes;
  /** The lean entry's glue bundled with `esbuild --minify` (with the lines that instantiate the wasm), plus the `.wasm`. */
  readonly leanMinified: Bytes;
  /** `@tanstack/react-query`'s `useQuery`, `QueryClient` and `QueryClientProvider`, `esbuild --minify`, React external. */
  readonly anchor: Bytes;
  /** twiggy's items of the wasm before wasm-opt, summed per crate, largest first: every crate. */
  readonly crates: readonly CrateBytes[];
}

/** Bytes of several files, each compressed on its own. */
export function sum(parts: readonly Bytes[]): Bytes {
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

/** The crate an item of twiggy belongs to: the first path segment of its name. */
function crateOf(name: string): string {
  if (name.startsWith('"') || name.startsWith("custom section")) return "(names and custom sections)";
  if (name.startsWith("data")) return "data";
  return /([A-Za-z_]\w*)(?:\[[0-9a-f]+\])?::/.exec(name)?.[1] ?? "(other)";
}

/**
 * `twiggy top` of an unoptimized wasm, which still has its function names, summed per crate,
 * largest first.
 */
export function crateBytes(wasm = UNOPTIMIZED_WASM): CrateBytes[] {
  const output = execFileSync("twiggy", ["top", "-n", "1000000", "--format", "json", wasm], { encoding: "utf8" });
  const items = JSON.parse(output) as { name: string; shallow_size: number }[];
  const totals = new Map<string, number>();
  for (const item of items) totals.set(crateOf(item.name), (totals.get(crateOf(item.name)) ?? 0) + item.shallow_size);
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export async function measureSizes(): Promise<SizeFigures> {
  const { inline, lean } = entrySizes(PKG_DIR);
  const wasm = lean.files.find((file) => file.path.endsWith(".wasm"));
  if (wasm === undefined) throw new Error(`no .wasm in ${PKG_DIR}/bundler`);
  return {
    inline,
    lean,
    inlineMinified: await minified('export * from "ask-seer-polling";', []),
    leanMinified: sum([await minified('export * from "ask-seer-polling/bundler";', []), wasm]),
    anchor: await minified('export { useQuery, QueryClient, QueryClientProvider } from "@tanstack/react-query";', [
      "react",
      "react/jsx-runtime",
    ]),
    crates: crateBytes(),
  };
}
