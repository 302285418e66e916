/**
 * `npm run bench`: measures the release package in headless Chromium and writes a table, results.json
 * and a chart. Every timed or counted figure is the median of at least REPS repetitions, with min and max.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { measure } from "../../js/sizes.mjs";
import type { Browser } from "playwright-core";
import { SimulatedAgent } from "./agent";
import { BASELINE, BASELINE_COMMIT, BASELINE_CRATES, before as baselineOf, TARGETS } from "./baseline";
import { launch, openBenchPage, type BenchPage } from "./browser";
import { bundlePage } from "./bundle";
import { chart, type Panel } from "./chart";
import { table, type Aim, type Figure } from "./figures";
import { CHART_PNG, CHART_SVG, DIST_DIR, RESULTS_JSON } from "./paths";
import { profile, type HotFunction } from "./profile";
import { measureScale, SCALE, scalePanels, SOAK } from "./scale";
import { serveStatic } from "../../www/server/staticServer.ts";
import { coldImport, type ColdImport } from "./coldImport";
import {
  IMPORT_CHUNKS,
  IMPORT_TARGETS,
  NOTIFY_POLLS,
  NOTIFY_STATES,
  type ClientName,
  type ImportTarget,
  type PerPollSample,
  type PollBody,
  type RequestSample,
} from "./shared/api";
import { measureSizes, sum, type Bytes, type CrateBytes } from "./size";
import { summarize, type Summary } from "./stats";

const REPS = 5;
/** The per-poll runs are short and the most exposed to other work on the machine: more of them. */
const PER_POLL_REPS = 9;
const POLLS = 10_000;
const WARMUP_POLLS = 1_000;
const CYCLES = 1_000;
const NOTIFY_INTERVAL_MS = 5;
const REQUESTS = { runMs: 10_000, intervalMs: 500, latencyMs: 150, settleMs: 2_000 };
const KB = 1024;
const AIM = { sizeGzipKb: 30, ratio: 1, memoryKb: 256 };

const figures: Figure[] = [];
const warnings: string[] = [];

/** One figure; `before` is the previous build's, by default the baseline's figure of the same section and label. */
function add(
  section: string,
  label: string,
  unit: string,
  values: readonly number[],
  previous = baselineOf(section, label),
): Figure {
  const figure = { section, label, unit, summary: summarize(values), ...(previous === undefined ? {} : { before: previous }) };
  figures.push(figure);
  return figure;
}

function exact(section: string, label: string, unit: string, value: number, previous?: number): Figure {
  return add(section, label, unit, [value], previous);
}

function log(message: string): void {
  console.error(`[bench ${(performance.now() / 1000).toFixed(0).padStart(3)} s] ${message}`);
}

function check(what: string, expected: number, actual: readonly number[]): void {
  const off = actual.filter((value) => value !== expected);
  if (off.length > 0) warnings.push(`${what}: expected ${String(expected)}, got ${actual.join(", ")}`);
}

function sizeFigures(sizes: Awaited<ReturnType<typeof measureSizes>>): Figure {
  const section = "size (bytes, exact)";
  const both = (label: string, bytes: Bytes): Figure[] => [
    exact(section, `${label}, raw`, "B", bytes.raw),
    exact(section, `${label}, gzip -9`, "B", bytes.gzip),
  ];
  const wasm = sizes.lean.files.filter((file) => file.path.endsWith(".wasm"));
  const glue = sizes.lean.files.filter((file) => !file.path.endsWith(".wasm"));
  both("default entry as built: index.js, wasm inlined", sizes.inline);
  both("default entry, esbuild --minify", sizes.inlineMinified);
  both("lean entry (/bundler): wasm", sum(wasm));
  both("lean entry (/bundler): JS glue incl. snippets/", sum(glue));
  const total = both("lean entry (/bundler) as built: wasm + JS glue", sizes.lean);
  both("lean entry (/bundler): wasm + JS glue esbuild --minify", sizes.leanMinified);
  both("anchor: TanStack useQuery, esbuild --minify", sizes.anchor);
  crateFigures(sizes.crates);
  return total[1] ?? total[0] ?? exact(section, "missing", "B", Number.NaN);
}

/** Crates listed by name, by the size now and before; the rest are summed as one row. */
const CRATES_SHOWN = 12;

/** The wasm's bytes per crate next to the previous build's: the largest of either, gone ones included. */
function crateFigures(crates: readonly CrateBytes[]): void {
  const section = `wasm per crate (twiggy, raw bytes before wasm-opt; before: ${BASELINE_COMMIT})`;
  const was = (value: number): number | undefined => (BASELINE_CRATES.length > 0 ? value : undefined);
  const bytesOf = (list: readonly CrateBytes[], name: string): number => list.find((c) => c.name === name)?.bytes ?? 0;
  const total = (list: readonly CrateBytes[]): number => list.reduce((sum, crate) => sum + crate.bytes, 0);
  const names = new Set([...crates.slice(0, CRATES_SHOWN), ...BASELINE_CRATES.slice(0, CRATES_SHOWN)].map((c) => c.name));
  const rest = (list: readonly CrateBytes[]): CrateBytes[] => list.filter((crate) => !names.has(crate.name));
  for (const name of names) {
    const [now, previous] = [bytesOf(crates, name), bytesOf(BASELINE_CRATES, name)];
    const note = now === 0 ? " (gone)" : previous === 0 && BASELINE_CRATES.length > 0 ? " (new)" : "";
    exact(section, `${name}${note}`, "B", now, was(previous));
  }
  exact(section, `${String(rest(crates).length)} more`, "B", total(rest(crates)), was(total(rest(BASELINE_CRATES))));
  exact(section, "all", "B", total(crates), was(total(BASELINE_CRATES)));
}

/** Fresh page loads per library in the import-cost run. */
const IMPORT_REPS = 9;

const IMPORT_LABEL: Record<ImportTarget, string> = {
  "ask-seer-polling": "(a) ask-seer-polling default entry, new AskSeerPoller",
  "@tanstack/query-core": "(b) @tanstack/query-core, new QueryClient + QueryObserver",
};

const CLIENT_LABEL: Record<ClientName, string> = {
  poller: "(a) AskSeerPoller",
  tanstack: "(b) TanStack QueryObserver",
  port: "(c) plain TypeScript port",
};

/** The per-poll sections, by the body the server answers while the run is processing. */
const PER_POLL_SECTION: Record<PollBody, string> = {
  identical: "per poll, identical body",
  changing: "per poll, changing body",
};

/** Per-poll cost of the three clients and of the loop alone, interleaved; returns the a/b ratio. */
async function perPollFigures(bench: BenchPage, body: PollBody): Promise<Summary> {
  const clients: (ClientName | null)[] = [null, "poller", "tanstack", "port"];
  for (const client of clients) await bench.call("perPoll", client, WARMUP_POLLS, body);
  const samples = new Map<ClientName | null, PerPollSample[]>(clients.map((c) => [c, []]));
  for (let rep = 0; rep < PER_POLL_REPS; rep += 1) {
    for (let i = 0; i < clients.length; i += 1) {
      const client = clients[(i + rep) % clients.length] ?? null;
      await bench.call("collectGarbage");
      samples.get(client)?.push(await bench.call("perPoll", client, POLLS, body));
    }
  }
  const micros = (client: ClientName | null): number[] =>
    (samples.get(client) ?? []).map((s) => (s.elapsedMs * 1000) / s.polls);
  const section = `${PER_POLL_SECTION[body]} (${POLLS.toLocaleString("en-US")} polls, interval 0, one macrotask each)`;
  add(section, "loop alone: fetch, text, one macrotask", "µs", micros(null));
  const [a, b, c] = (["poller", "tanstack", "port"] as const).map((client) => {
    check(`${client} polls per run, ${body} body`, POLLS, (samples.get(client) ?? []).map((s) => s.polls));
    return micros(client);
  });
  const perRep = (x: number[] = [], y: number[] = []): number[] => x.map((v, i) => v / (y[i] ?? Number.NaN));
  add(section, CLIENT_LABEL.poller, "µs", a ?? []);
  add(section, CLIENT_LABEL.tanstack, "µs", b ?? []);
  add(section, CLIENT_LABEL.port, "µs", c ?? []);
  const ab = add(section, "ratio a/b (per repetition)", "x", perRep(a, b));
  add(section, "ratio a/c (per repetition)", "x", perRep(a, c));
  return ab.summary;
}

async function notificationFigures(bench: BenchPage): Promise<{ stateCalls: Summary; memo: Aim }> {
  const section = `notifications (${String(NOTIFY_POLLS)} polls, ${String(NOTIFY_STATES)} states, interval ${String(NOTIFY_INTERVAL_MS)} ms)`;
  const poller = [];
  const tanstack = [];
  const www = [];
  const useQuery = [];
  for (let rep = 0; rep < REPS; rep += 1) {
    poller.push(await bench.call("notifications", "poller", NOTIFY_INTERVAL_MS));
    tanstack.push(await bench.call("notifications", "tanstack", NOTIFY_INTERVAL_MS));
    www.push(await bench.call("renders", "www", NOTIFY_INTERVAL_MS));
    useQuery.push(await bench.call("renders", "useQuery", NOTIFY_INTERVAL_MS));
  }
  for (const [name, runs] of Object.entries({ poller, tanstack, www, useQuery })) {
    check(`${name} polls in the notification run`, NOTIFY_POLLS, runs.map((r) => r.polls));
    check(`${name} distinct states seen`, NOTIFY_STATES, runs.map((r) => r.distinctStates));
  }
  const stateCalls = add(section, "(a) listener calls carrying a server state", "calls", poller.map((r) => r.stateListenerCalls));
  add(section, "(a) listener calls, all", "calls", poller.map((r) => r.listenerCalls));
  add(section, "(b) listener calls, all", "calls", tanstack.map((r) => r.listenerCalls));
  add(section, "React renders, ask-seer-polling/react useAskSeerPolling", "renders", www.map((r) => r.renders));
  add(section, "React renders, TanStack useQuery", "renders", useQuery.map((r) => r.renders));
  const memo = add(section, "memo child of completedSteps: renders, useAskSeerPolling", "renders", www.map((r) => r.stepListRenders));
  add(section, "memo child: renders of equal steps in a new array, useAskSeerPolling", "renders", www.map((r) => r.stepListRendersSameContent));
  add(section, "memo child of completed_steps: renders, TanStack useQuery", "renders", useQuery.map((r) => r.stepListRenders));
  add(section, "memo child: renders of equal steps in a new array, TanStack useQuery", "renders", useQuery.map((r) => r.stepListRendersSameContent));
  const lists = add(section, "distinct step lists the server sent", "lists", [...www, ...useQuery].map((r) => r.distinctStepLists));
  const paired = www.map((r) => r.stepListRenders === r.distinctStepLists);
  return {
    stateCalls: stateCalls.summary,
    memo: {
      aim: "renders of a React.memo child of completedSteps == distinct step lists sent (issue 17)",
      measured: `${String(memo.before ?? "?")} -> ${String(memo.summary.min)}..${String(memo.summary.max)} renders for ${String(lists.summary.min)}..${String(lists.summary.max)} lists`,
      met: paired.every(Boolean),
    },
  };
}

async function memoryFigures(browser: Browser, url: string): Promise<number> {
  const rows = { heap0: [] as number[], wasm0: [] as number[], heapPolls: [] as number[], wasmPolls: [] as number[] };
  const cycles = { heap: [] as number[], wasm: [] as number[] };
  for (let rep = 0; rep < REPS; rep += 1) {
    const bench = await openBenchPage(browser, url);
    try {
      await bench.call("memorySetup", WARMUP_POLLS);
      const heap0 = await bench.heapAfterGc();
      const wasm0 = await bench.call("wasmMemoryBytes");
      await bench.call("memoryPolls", POLLS);
      const heap1 = await bench.heapAfterGc();
      const wasm1 = await bench.call("wasmMemoryBytes");
      await bench.call("memorySubmitReset", CYCLES);
      const heap2 = await bench.heapAfterGc();
      const wasm2 = await bench.call("wasmMemoryBytes");
      rows.heap0.push(heap0 / KB);
      rows.wasm0.push(wasm0 / KB);
      rows.heapPolls.push((heap1 - heap0) / KB);
      rows.wasmPolls.push((wasm1 - wasm0) / KB);
      cycles.heap.push((heap2 - heap1) / KB);
      cycles.wasm.push((wasm2 - wasm1) / KB);
    } finally {
      await bench.close();
    }
  }
  const section = "memory (after a full GC; one poller kept throughout)";
  add(section, `JS heap after a ${WARMUP_POLLS.toLocaleString("en-US")}-poll warm-up run`, "KB", rows.heap0);
  add(section, "WebAssembly.Memory after the warm-up run", "KB", rows.wasm0);
  add(section, `JS heap growth over ${POLLS.toLocaleString("en-US")} more polls`, "KB", rows.heapPolls);
  add(section, `WebAssembly.Memory growth over ${POLLS.toLocaleString("en-US")} polls`, "KB", rows.wasmPolls);
  add(section, `JS heap growth over ${CYCLES.toLocaleString("en-US")} submit/reset cycles`, "KB", cycles.heap);
  add(section, `WebAssembly.Memory growth over ${CYCLES.toLocaleString("en-US")} cycles`, "KB", cycles.wasm);
  return summarize(rows.heapPolls.map((heap, i) => heap + (rows.wasmPolls[i] ?? Number.NaN))).median;
}

async function requestFigures(bench: BenchPage): Promise<{ afterEnd: number; inFlight: number }> {
  const poller: RequestSample[] = [];
  const tanstack: RequestSample[] = [];
  for (let rep = 0; rep < REPS; rep += 1) {
    log(`requests: repetition ${String(rep + 1)} of ${String(REPS)}`);
    // The server finishes a little later each time, so the repetitions meet the poll cycle at different points.
    const runMs = REQUESTS.runMs + (rep * (REQUESTS.intervalMs + REQUESTS.latencyMs)) / REPS;
    const options = { ...REQUESTS, runMs };
    const [a, b] = await Promise.all([
      bench.call("requests", "poller", options),
      bench.call("requests", "tanstack", options),
    ]);
    poller.push(a);
    tanstack.push(b);
  }
  const lastMs = REQUESTS.runMs + ((REPS - 1) * (REQUESTS.intervalMs + REQUESTS.latencyMs)) / REPS;
  const section = `requests (run of ${String(REQUESTS.runMs / 1000)}-${String(lastMs / 1000)} s, interval ${String(REQUESTS.intervalMs)} ms, latency ${String(REQUESTS.latencyMs)} ms, real time)`;
  const both = (label: string, unit: string, field: (r: RequestSample) => number): void => {
    add(section, `(a) ${label}`, unit, poller.map(field));
    add(section, `(b) ${label}`, unit, tanstack.map(field));
  };
  both("requests, start included", "requests", (r) => r.requests);
  both("most in flight at once", "requests", (r) => r.maxInFlight);
  both("requests after the client showed the end", "requests", (r) => r.requestsAfterEnd);
  both("server finished -> client showed it", "ms", (r) => r.finishDelayMs);
  return {
    afterEnd: Math.max(...poller.map((r) => r.requestsAfterEnd)),
    inFlight: Math.max(...poller.map((r) => r.maxInFlight)),
  };
}

/** Cold imports: the package's default entry against TanStack's core, interleaved. */
async function importFigures(browser: Browser, url: string): Promise<void> {
  const samples = new Map<ImportTarget, ColdImport[]>(IMPORT_TARGETS.map((target) => [target, []]));
  for (let rep = 0; rep < IMPORT_REPS; rep += 1) {
    for (let i = 0; i < IMPORT_TARGETS.length; i += 1) {
      const target = IMPORT_TARGETS[(i + rep) % IMPORT_TARGETS.length] ?? "ask-seer-polling";
      samples.get(target)?.push(await coldImport(browser, url, target));
    }
  }
  const section = "import cost (each a fresh page in a fresh browser context: no module, HTTP or code cache)";
  const of = (target: ImportTarget, field: (sample: ColdImport) => number): number[] => (samples.get(target) ?? []).map(field);
  for (const target of IMPORT_TARGETS) {
    const label = IMPORT_LABEL[target];
    add(section, `${label}: import() to client made`, "ms", of(target, (s) => s.totalMs));
    add(section, `${label}: import() alone`, "ms", of(target, (s) => s.importMs));
    add(section, `${label}: making the client`, "ms", of(target, (s) => s.makeMs));
    add(section, `${label}: main thread busy (TaskDuration)`, "ms", of(target, (s) => s.taskMs));
    exact(section, `${label}: the chunk, esbuild --minify, gzip -9`, "B", measure(await readFile(join(DIST_DIR, IMPORT_CHUNKS[target]))).gzip);
  }
  const a = of("ask-seer-polling", (s) => s.totalMs);
  const b = of("@tanstack/query-core", (s) => s.totalMs);
  add(section, "ratio a/b, import() to client made (per repetition)", "x", a.map((v, i) => v / (b[i] ?? Number.NaN)));
}

/** The median of the figure `label` of the section starting with `section`. */
function median(section: string, label: string): number {
  return figures.find((f) => f.section.startsWith(section) && f.label === label)?.summary.median ?? Number.NaN;
}

/** Issue 17's required figures, before -> now, met or not. */
function targetAims(memo: Aim): Aim[] {
  const bytes = (value: number | undefined): string => `${value === undefined ? "?" : value.toLocaleString("en-US")} B`;
  const ratio = (value: number | undefined): string => (value === undefined ? "?" : value.toFixed(2));
  const target = (aim: string, section: string, label: string, limit: number, show: (value: number | undefined) => string): Aim => {
    const now = median(section, label);
    return { aim: `${aim} <= ${show(limit)}`, measured: `${show(baselineOf(section, label))} -> ${show(now)}`, met: now <= limit };
  };
  const lean = "lean entry (/bundler) as built: wasm + JS glue, gzip -9";
  const inline = "default entry as built: index.js, wasm inlined, gzip -9";
  const abLabel = "ratio a/b (per repetition)";
  const wasmGrowth = `WebAssembly.Memory growth over ${POLLS.toLocaleString("en-US")} polls`;
  const growth = median("memory", wasmGrowth);
  return [
    target("lean entry, wasm + JS glue, gzip -9", "size", lean, TARGETS.leanGzip, bytes),
    target("default entry, index.js, gzip -9", "size", inline, TARGETS.defaultGzip, bytes),
    target("per poll, a new body every poll, a/b", PER_POLL_SECTION.changing, abLabel, TARGETS.changingRatio, ratio),
    target("per poll, the same body, a/b", PER_POLL_SECTION.identical, abLabel, TARGETS.identicalRatio, ratio),
    memo,
    {
      aim: `wasm memory growth over ${POLLS.toLocaleString("en-US")} polls == ${String(TARGETS.wasmGrowthKb)}`,
      measured: `${String(baselineOf("memory", wasmGrowth) ?? "?")} -> ${growth.toFixed(1)} KB (median)`,
      met: growth === TARGETS.wasmGrowthKb,
    },
  ];
}

function panels(): Panel[] {
  const pick = (section: string, ...labels: string[]): Figure[] =>
    figures.filter((f) => f.section.startsWith(section) && (labels.length === 0 || labels.some((l) => f.label.includes(l))));
  const inKb = (f: Figure): Figure => ({
    ...f,
    unit: "KB",
    summary: { ...f.summary, median: f.summary.median / KB, min: f.summary.min / KB, max: f.summary.max / KB },
  });
  return [
    {
      title: "Size, gzip -9 (KB): the package next to TanStack's useQuery path",
      figures: pick("size", "gzip").map(inKb),
      reference: { value: AIM.sizeGzipKb, label: `aim ${String(AIM.sizeGzipKb)} KB` },
    },
    ...(["identical", "changing"] as const).map((body) => ({
      title: `Client cost per poll (µs), zero interval, ${body} body`,
      figures: pick(PER_POLL_SECTION[body], "loop", "(a)", "(b)", "(c)"),
    })),
    {
      title: "Per-poll ratios, identical and changing body",
      figures: (["identical", "changing"] as const).flatMap((body) =>
        pick(PER_POLL_SECTION[body], "ratio").map((f) => ({ ...f, label: `${f.label}, ${body} body` })),
      ),
      reference: { value: AIM.ratio, label: "1.0" },
    },
    {
      title: "Notifications and renders in a 40-poll run with 5 distinct states",
      figures: pick("notifications"),
      reference: { value: NOTIFY_STATES, label: `${String(NOTIFY_STATES)} states` },
    },
    {
      title: "Memory growth (KB)",
      figures: pick("memory", "growth"),
      reference: { value: AIM.memoryKb, label: `aim < ${String(AIM.memoryKb)} KB` },
    },
    { title: "Import cost, cold (ms): import() to client made, and main thread busy", figures: pick("import cost", "client made", "busy") },
    { title: "Requests in a run of about 10 s (500 ms interval, 150 ms latency)", figures: pick("requests", "requests", "flight") },
    { title: "Server finished -> client showed it (ms)", figures: pick("requests", "->") },
    ...scalePanels(figures),
  ];
}

function printHot(run: string, functions: readonly HotFunction[]): void {
  console.log(`\nhottest functions in ${run} (self time):`);
  for (const f of functions) console.log(`  ${f.selfPercent.toFixed(1).padStart(5)} %  ${f.name}  [${f.where}]`);
}

async function writeChart(browser: Browser, chromium: string): Promise<void> {
  const svg = chart(
    "ask-seer-polling bench",
    `median of ${String(REPS)} runs (per poll: ${String(PER_POLL_REPS)}), whiskers min-max; Chromium ${chromium}, ${new Date().toISOString().slice(0, 10)}`,
    panels(),
  );
  await writeFile(CHART_SVG, svg);
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><body style="margin:0">${svg}</body>`);
    await page.locator("svg").screenshot({ path: CHART_PNG });
  } finally {
    await page.close();
  }
}

async function main(): Promise<void> {
  log("measuring sizes and bundling the page");
  const sizes = await measureSizes();
  const sizeTotal = sizeFigures(sizes);
  await bundlePage();
  const agent = new SimulatedAgent();
  const server = await serveStatic(DIST_DIR, { middleware: agent.handler });
  const browser = await launch();
  try {
    const bench = await openBenchPage(browser, `${server.url}/`);
    log("per-poll cost, identical body");
    const ratio = await perPollFigures(bench, "identical");
    log("per-poll cost, changing body");
    const changingRatio = await perPollFigures(bench, "changing");
    log("CPU profile of (a)");
    const hot: HotFunction[] = await profile(bench.cdp, () => bench.call("perPoll", "poller", POLLS, "identical"), 15);
    log("notifications and renders");
    const { stateCalls, memo } = await notificationFigures(bench);
    log("import cost");
    await importFigures(browser, server.url);
    log("memory");
    const memoryGrowthKb = await memoryFigures(browser, `${server.url}/`);
    const requests = await requestFigures(bench);
    await bench.close();
    const scale = await measureScale(browser, `${server.url}/`, agent, log);
    figures.push(...scale.figures);
    warnings.push(...scale.warnings);

    const aims: Aim[] = [
      {
        aim: `lean entry: wasm + JS glue <= ${String(AIM.sizeGzipKb)} KB gzipped (aim 10 KB)`,
        measured: `${(sizeTotal.summary.median / KB).toFixed(1)} KB`,
        met: sizeTotal.summary.median <= AIM.sizeGzipKb * KB,
      },
      ...[
        { body: "identical", summary: ratio },
        { body: "changing", summary: changingRatio },
      ].map(({ body, summary }) => ({
        aim: `per-poll a/b <= 1.0, ${body} body`,
        measured: `${summary.median.toFixed(2)} (median)`,
        met: summary.median <= AIM.ratio,
      })),
      {
        aim: `(a) listener calls carrying a server state == ${String(NOTIFY_STATES)} distinct states`,
        measured: `${String(stateCalls.min)}..${String(stateCalls.max)}`,
        met: stateCalls.min === NOTIFY_STATES && stateCalls.max === NOTIFY_STATES,
      },
      { aim: "(a) zero requests after the end", measured: `${String(requests.afterEnd)} (worst run)`, met: requests.afterEnd === 0 },
      { aim: "(a) one request in flight at most", measured: `${String(requests.inFlight)} (worst run)`, met: requests.inFlight <= 1 },
      {
        aim: `(a) memory growth < ${String(AIM.memoryKb)} KB over ${POLLS.toLocaleString("en-US")} polls (JS heap + wasm)`,
        measured: `${memoryGrowthKb.toFixed(1)} KB (median)`,
        met: memoryGrowthKb < AIM.memoryKb,
      },
      ...scale.aims,
    ];
    const targets = targetAims(memo);
    console.log(table(figures, aims, { title: `issue 17 targets (before: main ${BASELINE_COMMIT} -> now)`, before: `before`, aims: targets }));
    printHot("(a)'s per-poll run", hot);
    printHot(`a run of ${String(Math.max(...SCALE.counts))} search components`, scale.profile);
    for (const warning of warnings) console.log(`warning: ${warning}`);
    const chromium = browser.version();
    await writeFile(
      RESULTS_JSON,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          chromium,
          node: process.version,
          settings: { REPS, PER_POLL_REPS, POLLS, WARMUP_POLLS, CYCLES, NOTIFY_POLLS, NOTIFY_STATES, NOTIFY_INTERVAL_MS, REQUESTS, KB, SCALE, SOAK },
          figures,
          aims,
          baseline: { commit: BASELINE_COMMIT, figures: BASELINE, crates: BASELINE_CRATES },
          targets,
          profile: hot,
          scaleProfile: scale.profile,
          soak: scale.soak,
          warnings,
        },
        null,
        2,
      )}\n`,
    );
    await writeChart(browser, chromium);
    log(`wrote ${RESULTS_JSON}, ${CHART_SVG} and ${CHART_PNG}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
