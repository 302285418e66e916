/**
 * Scale and soak: N search components on one page against the simulated agent over real HTTP,
 * and one component asking a thousand questions one after another.
 */
import type { Browser, CDPSession } from "playwright-core";
import type { LoggedRequest } from "../../www/server/simulator.ts";
import type { SimulatedAgent } from "./agent";
import { openBenchPage, type BenchPage } from "./browser";
import type { Panel } from "./chart";
import type { Aim, Figure } from "./figures";
import { profile, type HotFunction } from "./profile";
import type { ScaleOptions, SearchSample } from "./shared/scale";
import { summarize } from "./stats";

/** The scale runs: the package's real poll cadence, the agent finishing 2 s after each start (plus a stagger). */
export const SCALE = {
  counts: [1, 10, 100, 200],
  reps: 3,
  pollIntervalMs: 500,
  runMs: 2000,
  settleMs: 1000,
  timeoutMs: 60_000,
} as const;

/** The run each scale page makes before it measures. */
const WARMUP = { pollIntervalMs: 10, runMs: 50 } as const;

/** The soak: one component, questions one after another, figures every `every` questions after a warm-up. */
export const SOAK = { questions: 1000, every: 100, warmup: 10, pollIntervalMs: 10, runMs: 10 } as const;

const KB = 1024;

/** One scale run of `n` components on a fresh page. */
export interface ScaleRun {
  readonly n: number;
  readonly samples: readonly SearchSample[];
  /** Start requests the agent saw, and distinct questions among them. */
  readonly starts: number;
  readonly questions: number;
  /** State requests the agent saw. */
  readonly polls: number;
  /** Requests of a run that reached the agent before the run's previous request was answered. */
  readonly serverOverlaps: number;
  /** Main-thread busy time and JavaScript time over the run, in ms. */
  readonly taskMs: number;
  readonly scriptMs: number;
  /** Growth with the components mounted and their runs ended, after a full GC. */
  readonly heapBytes: number;
  readonly wasmBytes: number;
  /** From the agent finishing each run to its component showing it, in ms. */
  readonly finishToShownMs: readonly number[];
}

/** The main thread's busy time so far (DevTools `TaskDuration`; `ScriptDuration` for JavaScript alone), in ms; needs `Performance.enable`. */
export async function mainThreadMs(cdp: CDPSession): Promise<{ taskMs: number; scriptMs: number }> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  const seconds = (name: string): number => metrics.find((metric) => metric.name === name)?.value ?? Number.NaN;
  return { taskMs: seconds("TaskDuration") * 1000, scriptMs: seconds("ScriptDuration") * 1000 };
}

/** Requests the agent saw arrive while an earlier request of the same run was not yet answered. */
function overlapsPerRun(log: readonly LoggedRequest[]): number {
  const byRun = new Map<string | null, LoggedRequest[]>();
  for (const request of log) {
    const requests = byRun.get(request.run);
    if (requests === undefined) byRun.set(request.run, [request]);
    else requests.push(request);
  }
  let overlaps = 0;
  for (const requests of byRun.values()) {
    const sorted = [...requests].sort((a, b) => a.at - b.at);
    sorted.slice(1).forEach((request, i) => {
      const before = sorted[i];
      if (before?.endedAt == null || before.endedAt > request.at) overlaps += 1;
    });
  }
  return overlaps;
}

/** What is wrong with a scale run: runs not completed, overlapping requests, requests after the end, extra starts. */
export function scaleProblems(run: ScaleRun): string[] {
  const problems: string[] = [];
  const notCompleted = run.samples.filter((sample) => sample.phase !== "completed");
  if (notCompleted.length > 0) problems.push(`${String(notCompleted.length)} of ${String(run.n)} runs did not complete: ${notCompleted.map((s) => s.phase).join(", ")}`);
  const overlapping = run.samples.filter((sample) => sample.maxInFlight > 1);
  if (overlapping.length > 0) problems.push(`${String(overlapping.length)} pollers had more than one request in flight`);
  const late = run.samples.reduce((sum, sample) => sum + sample.requestsAfterEnd, 0);
  if (late > 0) problems.push(`${String(late)} requests after a component showed its run ended`);
  if (run.serverOverlaps > 0) problems.push(`the agent saw ${String(run.serverOverlaps)} requests arrive while the same run had one in flight`);
  if (run.starts !== run.n || run.questions !== run.n) problems.push(`${String(run.starts)} starts for ${String(run.questions)} distinct questions from ${String(run.n)} components`);
  return problems;
}

/**
 * A fresh page that has made one quick run, so that code compiled and memory reserved once per
 * page are not counted per component; the agent's runs then take `runMs`.
 */
async function warmPage(browser: Browser, url: string, agent: SimulatedAgent, runMs: number): Promise<BenchPage> {
  const bench = await openBenchPage(browser, url);
  agent.restart(WARMUP.runMs);
  await bench.call("scaleRun", { n: 1, pollIntervalMs: WARMUP.pollIntervalMs, settleMs: 0, timeoutMs: SCALE.timeoutMs });
  await bench.call("unmount");
  agent.restart(runMs);
  return bench;
}

/** The options of a measured scale run of `n` components. */
function scaleOptions(n: number): ScaleOptions {
  return { n, pollIntervalMs: SCALE.pollIntervalMs, settleMs: SCALE.settleMs, timeoutMs: SCALE.timeoutMs };
}

/** Mounts `n` components on a fresh page, waits for every run to end, and measures. */
export async function scaleRun(browser: Browser, url: string, agent: SimulatedAgent, n: number, runMs: number): Promise<ScaleRun> {
  const bench = await warmPage(browser, url, agent, runMs);
  try {
    const heap0 = await bench.heapAfterGc();
    const wasm0 = await bench.call("wasmMemoryBytes");
    await bench.cdp.send("Performance.enable");
    const before = await mainThreadMs(bench.cdp);
    const samples = await bench.call("scaleRun", scaleOptions(n));
    const later = await mainThreadMs(bench.cdp);
    const heap1 = await bench.heapAfterGc();
    const wasm1 = await bench.call("wasmMemoryBytes");
    await bench.call("unmount");
    const log = agent.requests();
    const starts = log.filter((request) => request.method === "POST");
    return {
      n,
      samples,
      starts: starts.length,
      questions: new Set(starts.map((request) => JSON.stringify(request.body))).size,
      polls: log.filter((request) => request.method === "GET").length,
      serverOverlaps: overlapsPerRun(log),
      taskMs: later.taskMs - before.taskMs,
      scriptMs: later.scriptMs - before.scriptMs,
      heapBytes: heap1 - heap0,
      wasmBytes: wasm1 - wasm0,
      finishToShownMs: samples.flatMap((sample) =>
        sample.shownAt === null || sample.updatedAt === null ? [] : [sample.shownAt - agent.realTime(Date.parse(sample.updatedAt))],
      ),
    };
  } finally {
    await bench.close();
  }
}

/** The hottest functions while `n` components run, on a warm page. */
async function scaleProfile(browser: Browser, url: string, agent: SimulatedAgent, n: number): Promise<HotFunction[]> {
  const bench = await warmPage(browser, url, agent, SCALE.runMs);
  try {
    return await profile(bench.cdp, () => bench.call("scaleRun", scaleOptions(n)), 15);
  } finally {
    await bench.close();
  }
}

/** The soak's figures at one point. */
export interface SoakPoint {
  readonly questions: number;
  readonly heapBytes: number;
  readonly wasmBytes: number;
  /** Every JavaScript event listener in the page (DevTools `Memory.getDOMCounters`). */
  readonly listeners: number;
  /** Listeners on `document` and on `window`. */
  readonly documentListeners: number;
  readonly windowListeners: number;
}

async function listenersOn(cdp: CDPSession, expression: "document" | "window"): Promise<number> {
  const { result } = await cdp.send("Runtime.evaluate", { expression });
  if (result.objectId === undefined) throw new Error(`no ${expression} object`);
  const { listeners } = await cdp.send("DOMDebugger.getEventListeners", { objectId: result.objectId });
  await cdp.send("Runtime.releaseObject", { objectId: result.objectId });
  return listeners.length;
}

async function soakPoint(bench: BenchPage, questions: number): Promise<SoakPoint> {
  const heapBytes = await bench.heapAfterGc();
  const { jsEventListeners } = await bench.cdp.send("Memory.getDOMCounters");
  return {
    questions,
    heapBytes,
    wasmBytes: await bench.call("wasmMemoryBytes"),
    listeners: jsEventListeners,
    documentListeners: await listenersOn(bench.cdp, "document"),
    windowListeners: await listenersOn(bench.cdp, "window"),
  };
}

/** The soak: its points, and what the page counted over the whole of it. */
export interface SoakResult {
  readonly points: readonly SoakPoint[];
  readonly completed: number;
  readonly questions: number;
  readonly maxInFlight: number;
  readonly msPerQuestion: number;
}

export async function soak(browser: Browser, url: string, agent: SimulatedAgent): Promise<SoakResult> {
  const bench = await openBenchPage(browser, url);
  try {
    agent.restart(SOAK.runMs);
    await bench.call("soakMount", SOAK.pollIntervalMs);
    const warm = await bench.call("soakQuestions", SOAK.warmup);
    const points = [await soakPoint(bench, warm.questions)];
    let last = warm;
    let elapsedMs = 0;
    while (last.questions - warm.questions < SOAK.questions) {
      const chunkStart = performance.now();
      last = await bench.call("soakQuestions", SOAK.every);
      elapsedMs += performance.now() - chunkStart;
      points.push(await soakPoint(bench, last.questions));
    }
    await bench.call("unmount");
    const questions = last.questions - warm.questions;
    return {
      points,
      completed: last.completed - warm.completed,
      questions,
      maxInFlight: last.maxInFlight,
      msPerQuestion: elapsedMs / questions,
    };
  } finally {
    await bench.close();
  }
}

/** The scale and soak figures, their aims, and what went wrong. */
export interface ScaleFigures {
  readonly figures: Figure[];
  readonly aims: Aim[];
  readonly warnings: string[];
  readonly soak: SoakResult;
  /** The hottest functions in a run of the largest N. */
  readonly profile: HotFunction[];
}

const fig = (section: string, label: string, unit: string, values: readonly number[]): Figure => ({
  section,
  label,
  unit,
  summary: summarize(values),
});

/** Runs every scale repetition and the soak; `log` reports progress. */
export async function measureScale(browser: Browser, url: string, agent: SimulatedAgent, log: (message: string) => void): Promise<ScaleFigures> {
  const figures: Figure[] = [];
  const warnings: string[] = [];
  const section = `scale (N search components at once, poll every ${String(SCALE.pollIntervalMs)} ms, agent finishes ${String(SCALE.runMs / 1000)} s after each start plus a stagger, real HTTP)`;
  let worstInFlight = 0;
  let late = 0;
  for (const n of SCALE.counts) {
    const runs: ScaleRun[] = [];
    for (let rep = 0; rep < SCALE.reps; rep += 1) {
      log(`scale: N = ${String(n)}, repetition ${String(rep + 1)} of ${String(SCALE.reps)}`);
      // The agent finishes a little later each time, so the runs meet the poll cycle at different points.
      const run = await scaleRun(browser, url, agent, n, SCALE.runMs + (rep * SCALE.pollIntervalMs) / SCALE.reps);
      for (const problem of scaleProblems(run)) warnings.push(`scale N = ${String(n)}: ${problem}`);
      worstInFlight = Math.max(worstInFlight, ...run.samples.map((sample) => sample.maxInFlight));
      late += run.samples.reduce((sum, sample) => sum + sample.requestsAfterEnd, 0);
      runs.push(run);
    }
    const label = (what: string): string => `N = ${String(n)}: ${what}`;
    figures.push(
      fig(section, label("CPU per poll, main thread"), "µs", runs.map((r) => (r.taskMs * 1000) / r.polls)),
      fig(section, label("CPU per poll, JavaScript"), "µs", runs.map((r) => (r.scriptMs * 1000) / r.polls)),
      fig(section, label("JS heap per component"), "KB", runs.map((r) => r.heapBytes / r.n / KB)),
      fig(section, label("wasm memory per component"), "KB", runs.map((r) => r.wasmBytes / r.n / KB)),
      fig(section, label("server finished -> shown"), "ms", runs.flatMap((r) => r.finishToShownMs)),
      fig(section, label("polls per run"), "polls", runs.map((r) => r.polls / r.n)),
    );
  }
  const largest = Math.max(...SCALE.counts);
  log(`scale: CPU profile at N = ${String(largest)}`);
  const hot = await scaleProfile(browser, url, agent, largest);
  log(`soak: ${SOAK.questions.toLocaleString("en-US")} questions`);
  const result = await soak(browser, url, agent);
  const first = result.points[0];
  const last = result.points.at(-1);
  if (first === undefined || last === undefined) throw new Error("the soak recorded nothing");
  const soakSection = `soak (${result.questions.toLocaleString("en-US")} questions one after another on one component, after ${String(SOAK.warmup)} to warm up; poll every ${String(SOAK.pollIntervalMs)} ms)`;
  const middle = result.points.find((point) => point.questions - first.questions >= SOAK.questions / 2);
  const growth = (field: (point: SoakPoint) => number): number => field(last) - field(first);
  const listenerGrowth = growth((p) => p.listeners);
  const wasmGrowthKb = growth((p) => p.wasmBytes) / KB;
  figures.push(
    fig(soakSection, "questions completed", "runs", [result.completed]),
    fig(soakSection, "time per question", "ms", [result.msPerQuestion]),
    fig(soakSection, "WebAssembly.Memory growth", "KB", [wasmGrowthKb]),
    fig(soakSection, "JS heap growth", "KB", [growth((p) => p.heapBytes) / KB]),
    fig(soakSection, "JS heap growth over the second half", "KB", [(last.heapBytes - (middle ?? first).heapBytes) / KB]),
    fig(soakSection, "event listeners in the page, growth", "listeners", [listenerGrowth]),
    fig(soakSection, "listeners on document and window, growth", "listeners", [growth((p) => p.documentListeners + p.windowListeners)]),
  );
  if (result.completed !== result.questions) warnings.push(`soak: ${String(result.completed)} of ${String(result.questions)} runs completed`);
  const aims: Aim[] = [
    { aim: "scale: at most one request in flight per poller, every N", measured: `${String(worstInFlight)} (worst poller)`, met: worstInFlight <= 1 },
    { aim: "scale: zero requests after a component showed its end", measured: String(late), met: late === 0 },
    { aim: "soak: event listeners do not grow", measured: `${listenerGrowth >= 0 ? "+" : ""}${String(listenerGrowth)}`, met: listenerGrowth <= 0 },
    { aim: "soak: WebAssembly.Memory does not grow", measured: `${wasmGrowthKb.toFixed(0)} KB`, met: wasmGrowthKb <= 0 },
  ];
  return { figures, aims, warnings, soak: result, profile: hot };
}

/** The chart's panels for the scale curve and the soak. */
export function scalePanels(figures: readonly Figure[]): Panel[] {
  const pick = (section: string, what: string): Figure[] => figures.filter((f) => f.section.startsWith(section) && f.label.includes(what));
  return [
    { title: "Scale: CPU per poll (µs), main thread, by N components", figures: pick("scale", "CPU per poll, main thread") },
    { title: "Scale: JS heap and wasm memory per component (KB), by N", figures: [...pick("scale", "JS heap"), ...pick("scale", "wasm memory")] },
    { title: "Scale: server finished -> component shows it (ms), by N", figures: pick("scale", "->") },
    { title: "Soak: growth over 1,000 questions", figures: pick("soak", "growth") },
  ];
}
