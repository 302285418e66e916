/**
 * What the end-to-end tests share: the built app served by `vite preview` with the simulated
 * search agent, headless Chromium, and the agent's request log.
 */
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { after, afterEach, before, beforeEach } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { preview } from "vite";
import type { LoggedRequest } from "../server/simulator.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where screenshots go (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL("../test-artifacts/", import.meta.url));

/** Debian's Chromium and the flags it needs here, shared with the bench. */
const CHROMIUM = JSON.parse(readFileSync(new URL("../../scripts/chromium.json", import.meta.url), "utf8")) as {
  executablePath: string;
  args: string[];
};

/** A running preview server. */
export interface App {
  /** With a trailing slash. */
  url: string;
  close: () => Promise<void>;
}

/**
 * Serves the build in `outDir` (`dist`: production React; `dist-dev`: development React, where
 * StrictMode mounts twice) on a free port. `env` is what the Vite config reads, such as
 * `SENTRY_URL`; it is set only while the config loads.
 */
export async function serveApp(outDir: "dist" | "dist-dev", env: Record<string, string> = {}): Promise<App> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    const server = await preview({
      root: ROOT,
      logLevel: "warn",
      build: { outDir },
      preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false },
    });
    const url = server.resolvedUrls?.local[0];
    if (url === undefined) throw new Error("vite preview reported no URL");
    return { url, close: () => server.close() };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
}

/** Headless Chromium from /usr/bin; `keep` names Playwright default switches to leave out, such as `--disable-back-forward-cache`. */
export function launchBrowser(keep: readonly string[] = []): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ ...CHROMIUM, ignoreDefaultArgs: [...keep] });
}

/** One headless Chromium for the tests of a file or `describe`: launched before them, closed after. */
export function useBrowser(keep: readonly string[] = []): { get: () => Browser } {
  let browser: Browser | undefined;
  before(async () => {
    browser = await launchBrowser(keep);
  });
  after(async () => {
    await browser?.close();
  });
  return {
    get: () => {
      if (!browser) throw new Error("no browser");
      return browser;
    },
  };
}

/** Serves `outDir` and its simulated agent for the tests of one `describe`, in any browser. */
export function useApp(outDir: "dist" | "dist-dev"): { readonly app: App; readonly backend: Backend } {
  const state: { app?: App; backend?: Backend } = {};
  before(async () => {
    state.app = await serveApp(outDir);
    state.backend = new Backend(state.app.url);
  });
  after(async () => {
    await state.app?.close();
  });
  return {
    get app(): App {
      if (!state.app) throw new Error("not serving");
      return state.app;
    },
    get backend(): Backend {
      if (!state.backend) throw new Error("no backend");
      return state.backend;
    },
  };
}

/** Serves `outDir` for the tests of one `describe`, with a fresh page and a fresh agent for each test. */
export function usePage(browser: { get: () => Browser }, outDir: "dist" | "dist-dev") {
  const served = useApp(outDir);
  const state: { context?: BrowserContext; page?: Page } = {};
  beforeEach(async () => {
    await served.backend.reset();
    state.context = await browser.get().newContext({ viewport: { width: 1280, height: 900 } });
    state.page = await state.context.newPage();
  });
  afterEach(async () => {
    await state.context?.close();
  });
  return {
    get page(): Page {
      if (!state.page) throw new Error("no page");
      return state.page;
    },
    get context(): BrowserContext {
      if (!state.context) throw new Error("no context");
      return state.context;
    },
    get backend(): Backend {
      return served.backend;
    },
    /** The app's URL with `query` (such as `?scenario=...`) appended. */
    url(query: string): string {
      return `${served.app.url}${query}`;
    },
    async open(query: string): Promise<ReturnType<typeof askSeer>> {
      if (!state.page) throw new Error("no page");
      await state.page.goto(this.url(query));
      const seer = askSeer(state.page);
      await seer.input.waitFor();
      return seer;
    },
  };
}

/** How long to watch for requests that should not come. */
const QUIET_MS = 1500;

/** Asserts that the agent sees no request for {@link QUIET_MS}. */
export async function assertQuiet(backend: Backend, why: string): Promise<void> {
  const before = (await backend.requests()).length;
  await sleep(QUIET_MS);
  const later = await backend.requests();
  assert.equal(later.length, before, `${why}: ${JSON.stringify(later.slice(before))}`);
}

/** The simulated agent's log and reset, over HTTP. */
export class Backend {
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  async requests(): Promise<LoggedRequest[]> {
    const response = await fetch(`${this.#url}__sim/requests`);
    const body = (await response.json()) as { requests: LoggedRequest[] };
    return body.requests;
  }

  async starts(): Promise<LoggedRequest[]> {
    return (await this.requests()).filter((request) => request.method === "POST");
  }

  async states(): Promise<LoggedRequest[]> {
    return (await this.requests()).filter((request) => request.method === "GET");
  }

  async reset(): Promise<void> {
    await fetch(`${this.#url}__sim/reset`, { method: "POST" });
  }

  /** Forgets every run, as a restarted server does; the log stays. */
  async restart(): Promise<void> {
    await fetch(`${this.#url}__sim/restart`, { method: "POST" });
  }

  /** Holds every later state answer back `ms` milliseconds. */
  async delayStates(ms: number): Promise<void> {
    await fetch(`${this.#url}__sim/latency`, { method: "POST", body: JSON.stringify({ stateMs: ms }) });
  }
}

/** The requests a page sends to the search agent, as the browser sees them (also those that never reach the agent). */
export interface PageTraffic {
  /** When each request was sent, in ms since the epoch, and to which URL. */
  readonly sent: readonly { url: string; at: number }[];
  /** The most requests in flight at once. */
  readonly maxInFlight: () => number;
}

/** Watches `page`'s requests to the search agent from now on. */
export function watchTraffic(page: Page): PageTraffic {
  const sent: { url: string; at: number }[] = [];
  const open = new Set<unknown>();
  let max = 0;
  const ours = (url: string): boolean => url.includes("/search-agent/");
  page.on("request", (request) => {
    if (!ours(request.url())) return;
    sent.push({ url: request.url(), at: Date.now() });
    open.add(request);
    max = Math.max(max, open.size);
  });
  const settle = (request: unknown): void => {
    open.delete(request);
  };
  page.on("requestfinished", settle);
  page.on("requestfailed", settle);
  return { sent, maxInFlight: () => max };
}

/**
 * Asserts what every run must keep to, from the agent's log: `starts` start requests, and no
 * request arriving before the one before it was answered or closed.
 */
export function assertOneAtATime(log: readonly LoggedRequest[], starts: number): void {
  assert.equal(log.filter((request) => request.method === "POST").length, starts, "start requests");
  const sorted = [...log].sort((a, b) => a.at - b.at);
  sorted.slice(1).forEach((request, index) => {
    const before = sorted[index];
    assert.ok(before?.endedAt != null && before.endedAt <= request.at, `request ${String(request.seq)} came while ${String(before?.seq)} was in flight: ${JSON.stringify([before, request])}`);
  });
}

/**
 * Asserts how a run with one start must have ended: at most one request in flight at once as the
 * browser saw it (when `traffic` is given), nothing sent after the end, and one request at a time
 * in the agent's log.
 */
export async function assertEndedCleanly(backend: Backend, traffic?: PageTraffic): Promise<void> {
  if (traffic) assert.ok(traffic.maxInFlight() <= 1, `${String(traffic.maxInFlight())} requests in flight at once`);
  await assertQuiet(backend, "nothing after the run completed");
  assertOneAtATime(await backend.requests(), 1);
}

/**
 * A script that makes the page's document report `state` and fires `visibilitychange`, as a
 * browser does when its tab is hidden or shown: headless browsers keep every page visible. A
 * string, so that the test compiler's helpers stay out of the page; any driver can run it.
 */
export function visibilityScript(state: "hidden" | "visible"): string {
  return `
    Object.defineProperty(document, "visibilityState", { configurable: true, get() { return "${state}"; } });
    Object.defineProperty(document, "hidden", { configurable: true, get() { return ${String(state === "hidden")}; } });
    document.dispatchEvent(new Event("visibilitychange"));
  `;
}

/** Waits `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The page's parts, by role and label as a person finds them. */
export function askSeer(page: Page) {
  return {
    input: page.getByRole("searchbox", { name: "Ask Seer" }),
    askButton: page.getByRole("button", { name: "Ask", exact: true }),
    resetButton: page.getByRole("button", { name: "Reset" }),
    tryAgain: page.getByRole("button", { name: "Try again" }),
    phase: page.getByTestId("phase"),
    currentStep: page.locator(".step-current"),
    doneSteps: page.locator(".step-done"),
    /** Seer's candidate queries, best first; each carries its query in `data-query`. */
    candidates: page.getByRole("region", { name: "Seer's queries" }).getByRole("listitem"),
    /** The best candidate. */
    bestQuery: page.getByRole("region", { name: "Seer's queries" }).getByRole("listitem").first(),
    generateAgain: page.getByRole("button", { name: "Generate again" }),
    applied: page.getByRole("region", { name: "Search in use" }),
    alert: page.getByRole("alert"),
    section: page.getByRole("region", { name: "Ask Seer" }),
    bars: page.locator(".timeline .bar"),
    /** Types `question` and presses Ask. */
    async ask(question: string): Promise<void> {
      await this.input.fill(question);
      await this.askButton.click();
    },
    /** Picks the dataset `strategy`, asks `question` and returns the best query once it shows. */
    async search(strategy: string, question: string): Promise<string | null> {
      await page.getByRole("button", { name: strategy, exact: true }).click();
      await this.ask(question);
      await this.bestQuery.waitFor({ timeout: 15_000 });
      return this.bestQuery.getAttribute("data-query");
    },
    /** Every candidate shown: its query and its facts by name. */
    shownCandidates(): Promise<{ query: string | null; facts: Record<string, string> }[]> {
      return this.candidates.evaluateAll((items) =>
        items.map((item) => ({
          query: item.getAttribute("data-query"),
          facts: Object.fromEntries(
            [...item.querySelectorAll("[data-fact]")].map((fact) => [fact.getAttribute("data-fact") ?? "", fact.querySelector("dd")?.textContent ?? ""]),
          ),
        })),
      );
    },
  };
}
