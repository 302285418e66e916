/**
 * What importing costs the main thread: the import-cost page (`page/importCost.ts`) loaded in a
 * fresh browser context for each sample, so no module, HTTP or compiled-code cache is warm.
 */
import type { Browser } from "playwright-core";
import { mainThreadMs } from "./scale";
import type { ImportSample, ImportTarget } from "./shared/api";

/** One cold import, with the main thread's busy time while it ran. */
export interface ColdImport extends ImportSample {
  /** DevTools `TaskDuration` over the import and the client's making (and the call that runs them). */
  readonly taskMs: number;
}

export async function coldImport(browser: Browser, url: string, target: ImportTarget): Promise<ColdImport> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(`${url}/import.html`);
    await page.waitForFunction(() => "importCost" in globalThis);
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable");
    const busy = await mainThreadMs(cdp);
    const sample = await page.evaluate(
      (name) => (globalThis as unknown as { importCost: (t: string) => Promise<ImportSample> }).importCost(name),
      target,
    );
    const taskMs = (await mainThreadMs(cdp)).taskMs - busy.taskMs;
    if (errors.length > 0) throw new Error(`the import-cost page threw: ${errors.join("; ")}`);
    return { ...sample, taskMs };
  } finally {
    await context.close();
  }
}
