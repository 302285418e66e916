/**
 * Bundles the bench page with esbuild, the package's wasm loaded through its ES module imports;
 * and the import-cost page with its two chunks.
 */
import { build, type Plugin } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { BENCH_DIR, DIST_DIR, PAGE_DIR, PKG_DIR } from "./paths";
import { IMPORT_CHUNKS, IMPORT_TARGETS, type ImportTarget } from "./shared/api";
import { wasmEsm } from "./wasmEsm";

/** Tells a resolution this plugin started from one it should handle. */
const FROM_BENCH = Symbol("from bench");

/**
 * Bare imports of the shared packages resolve from `bench/`, also for the package's React hook,
 * so the page holds one React and one copy of the package: its lean entry
 * (`ask-seer-polling/bundler`), whose `.wasm`, imported deeply, is the very module its glue imports.
 */
const sharedPackages: Plugin = {
  name: "bench-shared-packages",
  setup(builder) {
    builder.onResolve({ filter: /^(react|react-dom|ask-seer-polling|@tanstack\/[a-z-]+)(\/.*)?$/ }, (args) => {
      if (args.pluginData === FROM_BENCH) return undefined;
      const wasmFile = /^ask-seer-polling\/bundler\/([\w-]+\.wasm)$/.exec(args.path)?.[1];
      if (wasmFile !== undefined) {
        return builder.resolve(`./${wasmFile}`, { kind: args.kind, resolveDir: join(PKG_DIR, "bundler"), importer: args.importer });
      }
      const path = args.path === "ask-seer-polling" ? "ask-seer-polling/bundler" : args.path;
      return builder.resolve(path, { kind: args.kind, resolveDir: BENCH_DIR, pluginData: FROM_BENCH });
    });
  },
};

/** Builds `dist/`: the page's HTML, its script and the package's `.wasm` file. */
export async function bundlePage(): Promise<void> {
  await rm(DIST_DIR, { recursive: true, force: true });
  await mkdir(DIST_DIR, { recursive: true });
  const result = await build({
    entryPoints: { main: join(PAGE_DIR, "main.ts") },
    outdir: DIST_DIR,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    // Minified, but with names kept, so that CPU profiles name the functions.
    minifyWhitespace: true,
    minifySyntax: true,
    assetNames: "[name]-[hash]",
    define: { "process.env.NODE_ENV": '"production"' },
    plugins: [sharedPackages, wasmEsm],
    logLevel: "warning",
    metafile: true,
  });
  const wasmModules = Object.keys(result.metafile.inputs).filter((input) => input.startsWith("wasm-esm:"));
  if (wasmModules.length !== 1) throw new Error(`expected one wasm module in the page, found ${wasmModules.join(", ")}`);
  await copyFile(join(PAGE_DIR, "index.html"), join(DIST_DIR, "index.html"));
  await bundleImportPage();
}

/** What each import-cost chunk exports: what making its client needs. */
const CHUNK_SOURCES: Record<ImportTarget, string> = {
  "ask-seer-polling": 'export { AskSeerPoller } from "ask-seer-polling";',
  "@tanstack/query-core": 'export { QueryClient, QueryObserver } from "@tanstack/query-core";',
};

/**
 * `import.html`, its script, and one minified chunk per library, resolved as an application
 * resolves them: `ask-seer-polling` is the package's default entry (the wasm inlined).
 */
async function bundleImportPage(): Promise<void> {
  const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", logLevel: "warning" } as const;
  await build({ ...common, entryPoints: { importCost: join(PAGE_DIR, "importCost.ts") }, outdir: DIST_DIR, minify: true });
  for (const target of IMPORT_TARGETS) {
    await build({
      ...common,
      stdin: { contents: CHUNK_SOURCES[target], resolveDir: BENCH_DIR, loader: "js" },
      outfile: join(DIST_DIR, IMPORT_CHUNKS[target]),
      minify: true,
      define: { "process.env.NODE_ENV": '"production"' },
    });
  }
  await copyFile(join(PAGE_DIR, "import.html"), join(DIST_DIR, "import.html"));
}
