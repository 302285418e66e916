/**
 * The production build under a strict Content-Security-Policy, served by a plain static server
 * with the simulated search agent behind `/api/0`: with `'wasm-unsafe-eval'` a whole run
 * completes without a single violation; without it the page says that the policy blocked
 * WebAssembly.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { simulatorMiddleware } from "../server/middleware.ts";
import { backendFromEnv } from "../server/plugin.ts";
import { serveStatic, type Handler, type StaticServer } from "../server/staticServer.ts";
import { BACKEND_INFO_PATH } from "../src/backendInfo.ts";
import { ARTIFACTS, askSeer, Backend, launchBrowser } from "./harness.ts";

/** The policy the README states: WebAssembly is the one thing beyond `'self'` it allows. */
const STRICT_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");
/** The same policy without `'wasm-unsafe-eval'`. */
const NO_WASM_POLICY = STRICT_POLICY.replace(" 'wasm-unsafe-eval'", "");

const QUESTION = "slow checkout spans in production today";
const ANSWER = "span.duration:>500ms environment:production transaction:*checkout*";
const DIST = fileURLToPath(new URL("../dist", import.meta.url));

/** The simulated backend as the dev server mounts it: the page's backend info and the agent. */
function simulatedBackend(): Handler {
  const backend = backendFromEnv({});
  if (backend.simulator === null) throw new Error("expected the simulated agent");
  const agent = simulatorMiddleware(backend.simulator);
  return (req, res, next) => {
    if (req.url !== BACKEND_INFO_PATH) {
      agent(req, res, next);
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(backend.info));
  };
}

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser.close();
});

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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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

/** The build in `root` served under `policy` for the tests of one `describe`. */
function served(root: string, policy: string) {
  const state: { server?: StaticServer } = {};
  before(async () => {
    state.server = await serveStatic(root, { headers: { "content-security-policy": policy }, middleware: simulatedBackend() });
  });
  after(async () => {
    await state.server?.close();
  });
  return {
    get url(): string {
      if (!state.server) throw new Error("not serving");
      return state.server.url;
    },
  };
}

describe(`production build under ${STRICT_POLICY}`, () => {
  const site = served(DIST, STRICT_POLICY);

  test("a whole run completes: question, steps, answer, and not one violation", async () => {
    await watched(`${site.url}/`, async (page, complaints) => {
      const seer = askSeer(page);
      await seer.input.waitFor();
      await seer.ask(QUESTION);
      await page.locator(".step-current").first().waitFor();
      await seer.finalQuery.waitFor({ timeout: 15_000 });
      assert.equal(await seer.finalQuery.getAttribute("data-query"), ANSWER);
      assert.equal(await seer.phase.textContent(), "Done");
      assert.equal(await seer.doneSteps.count(), 4);
      await page.screenshot({ path: `${ARTIFACTS}csp-completed.png`, fullPage: true });
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

describe(`production build under ${NO_WASM_POLICY}`, () => {
  const site = served(DIST, NO_WASM_POLICY);

  test("the page says the policy blocked WebAssembly: no blank page, no unhandled rejection", async () => {
    await watched(`${site.url}/`, async (page, complaints) => {
      const seer = askSeer(page);
      await seer.alert.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: `${ARTIFACTS}csp-wasm-blocked.png`, fullPage: true });
      const text = (await seer.alert.textContent()) ?? "";
      assert.match(text, /WebAssembly/);
      assert.match(text, /Content-Security-Policy/);
      assert.match(text, /'wasm-unsafe-eval'/);
      assert.deepEqual(complaints.uncaught, []);
      assert.ok(
        complaints.violations.every((violation) => violation.startsWith("script-src blocked wasm-eval")),
        complaints.violations.join("\n"),
      );
      assert.equal((await new Backend(`${site.url}/`).requests()).length, 0, "nothing is sent");
    });
  });
});
