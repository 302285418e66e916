/** Headless Chromium driven through playwright-core, and the DevTools calls the bench makes. */
import { readFileSync } from "node:fs";
import { chromium, type Browser, type CDPSession, type Page } from "playwright-core";
import type { BenchApi } from "./shared/api";

/** Debian's Chromium and the flags it needs here, shared with the end-to-end tests. */
const CHROMIUM = JSON.parse(readFileSync(new URL("../../scripts/chromium.json", import.meta.url), "utf8")) as {
  executablePath: string;
  args: string[];
};

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM.executablePath, args: [...CHROMIUM.args, "--js-flags=--expose-gc"] });
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
