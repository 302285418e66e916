/**
 * The production build under a strict Content-Security-Policy, served by a plain static server
 * with the simulated search agent behind `/api/0`: with `'wasm-unsafe-eval'` a whole run
 * completes without a single violation; without it the page says that the policy blocked
 * WebAssembly. Both entries of the package are built and served: the default one (the wasm
 * inlined, `dist/`) and the lean one (`ask-seer-polling/bundler`, its `.wasm` a separate file
 * loaded by `vite-plugin-wasm`, `dist-lean/`).
 */
import assert from "node:assert/strict";
import { describe, before, test } from "node:test";
import type { Page } from "playwright-core";
import { build } from "vite";
import wasm from "vite-plugin-wasm";
import { NO_WASM_POLICY, ROOT, served, STRICT_POLICY } from "./cspSite.ts";
import { ARTIFACTS, askSeer, Backend, useBrowser } from "./harness.ts";

const QUESTION = "slow checkout spans in production today";
const ANSWER = "span.duration:>500ms environment:production transaction:*checkout*";
/** The agent's steps for it, each shown once. */
const STEPS = ["get_field_values", "execute_query", "finalize_queries"];

/** The app built on the package's lean entry: every import of `ask-seer-polling` (the hook's too) goes to `ask-seer-polling/bundler`. */
async function buildOnLeanEntry(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    logLevel: "warn",
    plugins: [wasm()],
    resolve: { alias: [{ find: /^ask-seer-polling$/, replacement: "ask-seer-polling/bundler" }] },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  });
}

/** The two builds: `dist/` is made by `npm test` before the suites run; `dist-lean/` here. */
const ENTRIES = [
  // Its import always succeeds; `new AskSeerPoller()` throws, and the hook's state carries the error.
  { name: "default entry (wasm inlined)", outDir: "dist", make: null, blockedInHookState: true },
  // Its module fails to load; the page catches the load and shows the same kind of error.
  { name: "lean entry (ask-seer-polling/bundler)", outDir: "dist-lean", make: buildOnLeanEntry, blockedInHookState: false },
] as const;

const browser = useBrowser();

/** What the page reported that a strict policy forbids: violations, CSP console errors, uncaught errors. */
interface Complaints {
  violations: string[];
  cspConsole: string[];
  uncaught: string[];
  /** Every URL the page requested. */
  requests: string[];
}

/** Runs `body` on `url` in a fresh page that records every complaint from its first script on. */
async function watched(url: string, body: (page: Page, complaints: Complaints) => Promise<void>): Promise<void> {
  const context = await browser.get().newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const complaints: Complaints = { violations: [], cspConsole: [], uncaught: [], requests: [] };
  await page.exposeFunction("reportViolation", (text: string) => complaints.violations.push(text));
  await page.addInitScript(() => {
    const report = (window as unknown as { reportViolation: (text: string) => void }).reportViolation;
    document.addEventListener("securitypolicyviolation", (event) => {
      report(`${event.effectiveDirective} blocked ${event.blockedURI}`);
    });
    window.addEventListener("unhandledrejection", (event) => {
      report(`unhandled rejection: ${String(event.reason)}`);
    });
  });
  page.on("console", (message) => {
    if (/content security policy/i.test(message.text())) complaints.cspConsole.push(message.text());
  });
  page.on("pageerror", (error) => complaints.uncaught.push(error.message));
  page.on("request", (request) => complaints.requests.push(request.url()));
  try {
    await page.goto(url);
    await body(page, complaints);
  } finally {
    await context.close();
  }
}

for (const entry of ENTRIES) {
  describe(`production build, ${entry.name}`, () => {
    before(async () => {
      await entry.make?.(entry.outDir);
    });

    describe(`under ${STRICT_POLICY}`, () => {
      const site = served(entry.outDir, STRICT_POLICY);

      test("a whole run completes: question, steps, answer, and not one violation", async () => {
        await watched(`${site.url}/`, async (page, complaints) => {
          const seer = askSeer(page);
          await seer.input.waitFor();
          await seer.ask(QUESTION);
          await page.locator(".step-current").first().waitFor();
          await seer.bestQuery.waitFor({ timeout: 15_000 });
          assert.equal(await seer.bestQuery.getAttribute("data-query"), ANSWER);
          assert.equal(await seer.phase.textContent(), "Done");
          assert.deepEqual(await seer.doneSteps.evaluateAll((items) => items.map((item) => item.getAttribute("data-step"))), STEPS);
          await page.screenshot({ path: `${ARTIFACTS}csp-${entry.outDir}-completed.png`, fullPage: true });
          const backend = new Backend(`${site.url}/`);
          assert.equal((await backend.starts()).length, 1);
          assert.ok((await backend.states()).length >= 3);
          assert.deepEqual(complaints.violations, []);
          assert.deepEqual(complaints.cspConsole, []);
          assert.deepEqual(complaints.uncaught, []);
          const elsewhere = complaints.requests.filter((url) => !url.startsWith(`${site.url}/`));
          assert.deepEqual(elsewhere, [], "every request goes to the page's own origin");
        });
      });
    });

    describe(`under ${NO_WASM_POLICY}`, () => {
      const site = served(entry.outDir, NO_WASM_POLICY);

      test("the page says the policy blocked WebAssembly: no blank page, no unhandled rejection", async () => {
        await watched(`${site.url}/`, async (page, complaints) => {
          const seer = askSeer(page);
          await seer.alert.waitFor({ timeout: 10_000 });
          await page.screenshot({ path: `${ARTIFACTS}csp-${entry.outDir}-wasm-blocked.png`, fullPage: true });
          const text = (await seer.alert.textContent()) ?? "";
          assert.match(text, /WebAssembly/);
          assert.match(text, /Content-Security-Policy/);
          assert.match(text, /'wasm-unsafe-eval'/);
          if (entry.blockedInHookState) assert.equal(await seer.phase.textContent(), "Failed");
          assert.deepEqual(complaints.uncaught, []);
          assert.ok(complaints.violations.length > 0, "the policy blocked something");
          assert.ok(
            complaints.violations.every((violation) => violation.startsWith("script-src blocked wasm-eval")),
            complaints.violations.join("\n"),
          );
          assert.equal((await new Backend(`${site.url}/`).requests()).length, 0, "nothing is sent");
        });
      });
    });
  });
}
