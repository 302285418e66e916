/** Headless Chromium driven through playwright-core, and the DevTools calls the bench makes. */
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import type { BenchApi } from "./shared/api";

const CHROMIUM = "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--js-flags=--expose-gc",
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** A bench page with its DevTools session. */
export interface BenchPage {
  readonly page: Page;
  readonly cdp: CDPSession;
  /** Calls `window.bench[method]` in the page. */
  call<K extends keyof BenchApi>(method: K, ...args: Parameters<BenchApi[K]>): Promise<Awaited<ReturnType<BenchApi[K]>>>;
  /** JavaScript heap in use after a full garbage collection, in bytes. */
  heapAfterGc(): Promise<number>;
  close(): Promise<void>;
}

export async function openBenchPage(browser: Browser, url: string): Promise<BenchPage> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => "bench" in globalThis);
  const cdp = await page.context().newCDPSession(page);
  async function call<K extends keyof BenchApi>(
    method: K,
    ...args: Parameters<BenchApi[K]>
  ): Promise<Awaited<ReturnType<BenchApi[K]>>> {
    const result: unknown = await page.evaluate(
      ([name, params]) => {
        const api = (globalThis as unknown as { bench: Record<string, (...values: unknown[]) => unknown> }).bench;
        return api[name]?.(...params);
      },
      [method, args] as const,
    );
    if (errors.length > 0) throw new Error(`the bench page threw: ${errors.join("; ")}`);
    return result as Awaited<ReturnType<BenchApi[K]>>;
  }
  await call("ready");
  return {
    page,
    cdp,
    call,
    heapAfterGc: async () => {
      await cdp.send("HeapProfiler.collectGarbage");
      await call("collectGarbage");
      return (await cdp.send("Runtime.getHeapUsage")).usedSize;
    },
    close: () => page.close(),
  };
}
