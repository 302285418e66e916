/**
 * The figures of the build before issue 17's boundary (main 65ee425), which the table shows as
 * "before", and the issue's targets.
 *
 * Where they come from:
 * - sizes: `js/sizes.mjs` and the minified bundles of `size.ts`, on `make pkg` of 65ee425 in a
 *   scratch clone; the gzip figures are the issue's and that commit's README's (lean 59,128 B =
 *   wasm 51,575 + glue 7,553, default 74,193 B, minified 72,024 and 56,738 B), the raw ones
 *   measured the same way; TanStack's `useQuery` path (10,002 B) as the issue quotes it;
 * - wasm per crate: `crateBytes` of `size.ts` (twiggy 0.8.0) on that build's
 *   `build/web/ask_seer_polling_bg.wasm`, once;
 * - the memoised child's renders and the import cost: this bench's render run (5 repetitions) and
 *   import-cost run (9 cold loads each, interleaved) on that build's package, once, on the same
 *   busy machine as the figures they stand next to (the import times vary by a factor of 2 to 5
 *   between loads there: compare the ratio of one run rather than the times of two);
 * - per poll, renders and memory: `make bench` on 65ee425 as issue 17 quotes it. The README of
 *   that commit quotes another run of the same build: changing body 25.8 µs (a/b 0.91, a/c 2.42),
 *   identical body 6.3 µs (a/b 0.21), JS heap growth 8.3 KB over 10,000 polls; the difference is
 *   the run-to-run noise of a shared 2-core machine.
 */

/** One figure of the previous build, found by its section's start and its label. */
export interface BaselineFigure {
  readonly section: string;
  readonly label: string;
  readonly value: number;
}

export const BASELINE_COMMIT = "65ee425";

/** The import-cost rows of one library, in ms. */
function importCost(library: string, ms: { total: number; imported: number; made: number; busy: number }): BaselineFigure[] {
  const row = (what: string, value: number): BaselineFigure => ({ section: "import cost", label: `${library}: ${what}`, value });
  return [
    row("import() to client made", ms.total),
    row("import() alone", ms.imported),
    row("making the client", ms.made),
    row("main thread busy (TaskDuration)", ms.busy),
  ];
}

export const BASELINE: readonly BaselineFigure[] = [
  { section: "size", label: "default entry as built: index.js, wasm inlined, raw", value: 182_114 },
  { section: "size", label: "default entry as built: index.js, wasm inlined, gzip -9", value: 74_193 },
  { section: "size", label: "default entry, esbuild --minify, raw", value: 167_785 },
  { section: "size", label: "default entry, esbuild --minify, gzip -9", value: 72_024 },
  { section: "size", label: "lean entry (/bundler): wasm, raw", value: 115_953 },
  { section: "size", label: "lean entry (/bundler): wasm, gzip -9", value: 51_575 },
  { section: "size", label: "lean entry (/bundler): JS glue incl. snippets/, raw", value: 27_823 },
  { section: "size", label: "lean entry (/bundler): JS glue incl. snippets/, gzip -9", value: 7_553 },
  { section: "size", label: "lean entry (/bundler) as built: wasm + JS glue, raw", value: 143_776 },
  { section: "size", label: "lean entry (/bundler) as built: wasm + JS glue, gzip -9", value: 59_128 },
  { section: "size", label: "lean entry (/bundler): wasm + JS glue esbuild --minify, raw", value: 130_770 },
  { section: "size", label: "lean entry (/bundler): wasm + JS glue esbuild --minify, gzip -9", value: 56_738 },
  { section: "size", label: "anchor: TanStack useQuery, esbuild --minify, gzip -9", value: 10_002 },
  { section: "per poll, identical body", label: "(a) AskSeerPoller", value: 6.5 },
  { section: "per poll, identical body", label: "ratio a/b (per repetition)", value: 0.21 },
  { section: "per poll, changing body", label: "(a) AskSeerPoller", value: 26.4 },
  { section: "per poll, changing body", label: "ratio a/b (per repetition)", value: 0.89 },
  { section: "per poll, changing body", label: "ratio a/c (per repetition)", value: 2.39 },
  { section: "notifications", label: "React renders, ask-seer-polling/react useAskSeerPolling", value: 8 },
  { section: "notifications", label: "React renders, TanStack useQuery", value: 7 },
  { section: "memory", label: "WebAssembly.Memory growth over 10,000 polls", value: 0 },
  // Measured once by this bench's render and import-cost runs on 65ee425's package (see above).
  { section: "notifications", label: "memo child of completedSteps: renders, useAskSeerPolling", value: 8 },
  { section: "notifications", label: "memo child: renders of equal steps in a new array, useAskSeerPolling", value: 3 },
  ...importCost("(a) ask-seer-polling default entry, new AskSeerPoller", { total: 47.3, imported: 40.5, made: 5.3, busy: 18.9 }),
  ...importCost("(b) @tanstack/query-core, new QueryClient + QueryObserver", { total: 28.4, imported: 24.3, made: 1.5, busy: 11.0 }),
  { section: "import cost", label: "ratio a/b, import() to client made (per repetition)", value: 2.22 },
];

/** The wasm's raw bytes per crate before wasm-opt, as `crateBytes` sums them, largest first. */
export const BASELINE_CRATES: readonly { readonly name: string; readonly bytes: number }[] = [
  { name: "(names and custom sections)", bytes: 87_829 },
  { name: "ask_seer_polling", bytes: 53_797 },
  { name: "alloc", bytes: 17_340 },
  { name: "core", bytes: 16_935 },
  { name: "data", bytes: 9_138 },
  { name: "wasm_bindgen", bytes: 8_795 },
  { name: "serde_wasm_bindgen", bytes: 6_780 },
  { name: "js_sys", bytes: 5_085 },
  { name: "js", bytes: 5_015 },
  { name: "(other)", bytes: 4_710 },
  { name: "serde_core", bytes: 1_888 },
  { name: "talc", bytes: 1_830 },
  { name: "std", bytes: 1_538 },
  { name: "uuid", bytes: 1_351 },
  { name: "gloo_timers", bytes: 319 },
  { name: "web_sys", bytes: 204 },
  { name: "__rustc", bytes: 162 },
];

/** The value of `label` in a section starting with `section`, if the previous build has one. */
export function before(section: string, label: string): number | undefined {
  return BASELINE.find((figure) => section.startsWith(figure.section) && figure.label === label)?.value;
}

/** Issue 17's required figures (gzip -9 bytes, per-poll ratios a/b, wasm memory growth in KB). */
export const TARGETS = {
  leanGzip: 45_000,
  defaultGzip: 57_000,
  changingRatio: 0.5,
  identicalRatio: 0.21,
  wasmGrowthKb: 0,
} as const;
