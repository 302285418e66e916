/**
 * The scale run's correctness at a size that stays quick: twenty search components on one page
 * against the simulated agent, each run completed, one start per question, never two requests
 * of one poller in flight, nothing sent after a run ended.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { serveStatic, type StaticServer } from "../../www/server/staticServer.ts";
import { SimulatedAgent } from "./agent";
import { launch } from "./browser";
import { bundlePage } from "./bundle";
import { DIST_DIR } from "./paths";
import { scaleProblems, scaleRun } from "./scale";

const N = 20;
const RUN_MS = 1200;

const agent = new SimulatedAgent();
let server: StaticServer;
let browser: Browser;

before(async () => {
  await bundlePage();
  server = await serveStatic(DIST_DIR, { middleware: agent.handler });
  browser = await launch();
});

after(async () => {
  await browser.close();
  await server.close();
});

test(`${String(N)} search components on one page: every run completes, one request in flight per poller at most`, async () => {
  const run = await scaleRun(browser, `${server.url}/`, agent, N, RUN_MS);
  assert.deepEqual(scaleProblems(run), []);
  assert.equal(run.samples.length, N);
  for (const sample of run.samples) {
    assert.equal(sample.phase, "completed");
    assert.equal(sample.maxInFlight, 1);
    assert.ok(sample.requests >= 3, `a start and at least two polls, got ${String(sample.requests)}`);
  }
  assert.equal(run.polls + run.starts, run.samples.reduce((sum, sample) => sum + sample.requests, 0), "the agent saw every request the pollers sent");
  assert.equal(run.finishToShownMs.length, N);
  assert.ok(run.finishToShownMs.every((ms) => ms > 0), `shown only after the agent finished: ${run.finishToShownMs.join(", ")}`);
});
