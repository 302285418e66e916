/**
 * The page end to end in one engine over WebDriver: the production build (and the development
 * build, where StrictMode mounts twice) against the simulated search agent, each test checking
 * what the page shows and the agent's log: one start per question, one request at a time,
 * nothing after the run ends. The Chromium suites check the same and much more through
 * Playwright; these are the cases where engines differ: WebAssembly at import, fetch and its
 * abort, sessionStorage, the page lifecycle, and the Content-Security-Policy.
 */
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { NO_WASM_POLICY, served, STRICT_POLICY } from "../cspSite.ts";
import { assertEndedCleanly, assertOneAtATime, assertQuiet, Backend, eventually, sleep, useApp, visibilityScript } from "../harness.ts";
import { seerIn, useEngine, type EngineName, type Session } from "./webdriver.ts";

const QUESTION = "slow checkout spans in production today";
const ANSWER = "span.duration:>500ms environment:production transaction:*checkout*";
const STEPS = ["get_field_values", "execute_query", "finalize_queries"];
const UUID_STATE = /\/search-agent\/state\/[0-9a-f-]{36}\/$/;
const NUMERIC_STATE = /\/search-agent\/state\/\d+\/$/;
/** Where the demo keeps the run under way (the hook's `persistKey`). */
const STORED = 'return sessionStorage.getItem("ask-seer-demo:run")';

/** Serves `outDir` for the tests of one `describe`; each test starts from a fresh agent and empty sessionStorage. */
function useSite(engine: { get: () => Session; between: (url: string) => Promise<void> }, outDir: "dist" | "dist-dev") {
  const served = useApp(outDir);
  beforeEach(async () => {
    // Away from the page first, so that the last test's page sends nothing more.
    await engine.between(`${served.app.url}__sim/requests`);
    await engine.get().execute("sessionStorage.clear()");
    await served.backend.reset();
  });
  return {
    get backend(): Backend {
      return served.backend;
    },
    url: (query: string): string => `${served.app.url}${query}`,
    /** Opens the app with `query` and waits for the search box. */
    async open(query: string): Promise<ReturnType<typeof seerIn>> {
      await engine.get().url(this.url(query));
      const seer = seerIn(engine.get());
      await seer.input.waitForExist({ timeout: 10_000 });
      return seer;
    },
  };
}

/** The polls logged since `since` (ms since the epoch). */
async function pollsSince(backend: Backend, since: number): Promise<number> {
  return (await backend.states()).filter((poll) => poll.at >= since).length;
}

/** Every test of this file in engine `name`, in one session of it. */
export function engineSuite(name: EngineName): void {
  const engine = useEngine(name);
  const session = (): Session => engine.get();

  describe(`${engine.label}: production build`, () => {
    const t = useSite(engine, "dist");

    test("a whole UUID run: the steps, then the candidates; one start, one request at a time, nothing after the end", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.currentStep.waitForExist();
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.equal(await seer.bestQuery.getAttribute("data-query"), ANSWER);
      assert.equal(await seer.candidates.length, 2);
      assert.equal(await seer.phase.getText(), "Done");
      assert.deepEqual(await seer.doneSteps.map((step) => step.getAttribute("data-step")), STEPS);
      const polls = await t.backend.states();
      assert.ok(polls.length >= 3, `${String(polls.length)} polls`);
      for (const poll of polls) assert.match(poll.path, UUID_STATE);
      await assertEndedCleanly(t.backend);
    });

    test("an older server's numeric ids: polls by run_id and completes", async () => {
      const seer = await t.open("?scenario=legacy-server&pollIntervalMs=250");
      assert.equal(await seer.search("Errors", "unhandled TypeError in release 2.4.1"), "error.unhandled:true error.type:TypeError release:2.4.1");
      assert.match(await seer.section.$(".run-id").getText(), /^run \d+$/);
      for (const poll of await t.backend.states()) assert.match(poll.path, NUMERIC_STATE);
      await assertEndedCleanly(t.backend);
    });

    test("a run that fails on the server: the error, then Try again asks anew and completes", async () => {
      const seer = await t.open("?scenario=error&pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.alert.waitForExist({ timeout: 15_000 });
      assert.match(await seer.alert.getText(), /Seer ran into a problem/);
      assert.equal(await seer.phase.getText(), "Failed");
      await seer.tryAgain.click();
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.equal(await seer.alert.isExisting(), false);
      const [first, second] = await t.backend.starts();
      assert.ok(first && second && first.run !== second.run, "a second start, for a new run");
      await assertQuiet(t.backend, "nothing after the second run completed");
      assertOneAtATime(await t.backend.requests(), 2);
    });

    test("a reload mid-run resumes the stored run: no second start, the question back in the box", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.currentStep.waitForExist();
      const stored = JSON.parse(String(await session().execute(STORED))) as { runId: string };
      const [start] = await t.backend.starts();
      assert.equal(stored.runId, start?.run);
      const reloadedAt = Date.now();
      await session().refresh();
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.equal(await seer.input.getValue(), QUESTION);
      assert.ok((await pollsSince(t.backend, reloadedAt)) > 0, "the reloaded page polled");
      assert.ok((await t.backend.states()).every((poll) => poll.run === start?.run), "every poll is of the one run");
      assert.equal(await session().execute(STORED), null, "the entry goes when the run ends");
      await assertEndedCleanly(t.backend);
    });

    test("a hidden tab stops polling and resumes when shown", async () => {
      const seer = await t.open("?pollIntervalMs=200");
      await seer.ask(QUESTION);
      await seer.currentStep.waitForExist();
      await session().execute(visibilityScript("hidden"));
      await session().$('section[data-phase="paused"]').waitForExist();
      assert.equal(await seer.phase.getText(), "Paused while hidden");
      await assertQuiet(t.backend, "no polls while hidden");
      const shownAt = Date.now();
      await session().execute(visibilityScript("visible"));
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.ok((await pollsSince(t.backend, shownAt)) > 0, "polling resumed");
      await assertEndedCleanly(t.backend);
    });

    const offline =
      engine.offline === "network"
        ? "offline mid-run (the browser's network emulation)"
        : "the offline and online events mid-run (scripted: the driver cannot take the browser offline)";
    test(`${offline}: paused as offline, nothing sent, polling on once online`, async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.currentStep.waitForExist();
      await engine.setOffline(true);
      const onlineAt = await (async () => {
        try {
          await session().$('section[data-phase="paused"]').waitForExist();
          assert.equal(await seer.phase.getText(), "Paused while offline");
          assert.equal(await session().execute("return navigator.onLine"), false);
          await assertQuiet(t.backend, "no polls while offline");
          return Date.now();
        } finally {
          // Back online even when an assertion failed: the emulation outlives the page.
          await engine.setOffline(false);
        }
      })();
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.ok((await pollsSince(t.backend, onlineAt)) > 0, "polling resumed");
      await assertEndedCleanly(t.backend);
    });

    test("back/forward cache: the restored page polls its run on to the end, with no stale spinner", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await session().execute(`addEventListener("pageshow", (event) => { document.documentElement.dataset.restored = String(event.persisted); })`);
      await seer.askByEnter(QUESTION);
      await seer.currentStep.waitForExist();
      await session().url(t.url("__sim/requests"));
      const leftAt = Date.now();
      await sleep(1500);
      assert.deepEqual((await t.backend.requests()).filter((request) => request.at > leftAt + 100), [], "the page in the cache sends nothing");
      const backAt = Date.now();
      await session().back();
      await seer.input.waitForExist();
      assert.equal(await session().execute("return document.documentElement.dataset.restored ?? null"), "true", "restored from the back/forward cache");
      await session().$(".spinner").waitForExist({ reverse: true, timeout: 15_000 });
      assert.equal(await seer.phase.getText(), "Done");
      assert.equal(await seer.candidates.length, 2, "the restored page finished its run");
      assert.ok((await pollsSince(t.backend, backAt)) > 0, "the restored run polled on");
      await assertEndedCleanly(t.backend);
    });
  });

  describe(`${engine.label}: development build, under StrictMode`, () => {
    const t = useSite(engine, "dist-dev");

    test("StrictMode's double mount sends one start for a question in the URL", async () => {
      const seer = await t.open(`?scenario=legacy-server&pollIntervalMs=250&q=${encodeURIComponent(QUESTION)}`);
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.equal(await seer.section.getAttribute("data-mounts"), "2", "StrictMode mounted the component twice");
      assert.equal(await seer.input.getValue(), QUESTION);
      const [start] = await t.backend.starts();
      assert.equal(start?.scenario, "legacy-server");
      for (const poll of await t.backend.states()) assert.equal(poll.run, start.run);
      await assertEndedCleanly(t.backend);
    });
  });

  describe(`${engine.label}: production build under a strict Content-Security-Policy`, () => {
    const strict = served("dist", STRICT_POLICY, true);
    const noWasm = served("dist", NO_WASM_POLICY, true);

    test(`with 'wasm-unsafe-eval' a whole run completes and the page reports not one violation`, async () => {
      await engine.between(`${strict.url}/`);
      const seer = seerIn(session());
      await seer.input.waitForExist({ timeout: 10_000 });
      await seer.ask(QUESTION);
      await seer.bestQuery.waitForExist({ timeout: 15_000 });
      assert.equal(await seer.bestQuery.getAttribute("data-query"), ANSWER);
      await assertEndedCleanly(new Backend(`${strict.url}/`));
      assert.deepEqual(strict.reports, []);
    });

    test("without it the page says that the policy blocked WebAssembly, and sends nothing", async () => {
      await engine.between(`${noWasm.url}/`);
      const seer = seerIn(session());
      await seer.alert.waitForExist({ timeout: 10_000 });
      const text = await seer.alert.getText();
      for (const words of [/WebAssembly/, /Content-Security-Policy/, /'wasm-unsafe-eval'/]) assert.match(text, words);
      assert.equal(await seer.phase.getText(), "Failed");
      const reports = engine.reportsBlockedWasm
        ? await eventually("a violation report", () => Promise.resolve(noWasm.reports.length > 0 ? noWasm.reports : undefined))
        : noWasm.reports;
      assert.ok(reports.every((report) => report.includes("script-src")), `only WebAssembly was blocked: ${reports.join("\n")}`);
      assert.equal((await new Backend(`${noWasm.url}/`).requests()).length, 0, "nothing is sent");
    });
  });
}
