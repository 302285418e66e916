/**
 * A reload mid-run: the page keeps the run under way in sessionStorage (the hook's
 * `persistKey`) and resumes it, so the agent sees no second start; a stored run the agent has
 * forgotten gives the quiet `gone` state, and a new question works.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertEndedCleanly, assertOneAtATime, assertQuiet, useBrowser, usePage } from "./harness.ts";

const QUESTION = "slow checkout spans in production today";
/** Where the demo keeps the run under way. */
const STORED = 'sessionStorage.getItem("ask-seer-demo:run")';

const browser = useBrowser();

for (const build of ["dist", "dist-dev"] as const) {
  describe(`reloading mid-run, ${build === "dist" ? "production build" : "development build, under StrictMode"}`, () => {
    const t = usePage(browser, build);

    test("the reloaded page resumes the same run: no second start, the question back in the box, the run completed", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.currentStep.waitFor();
      const stored = JSON.parse(String(await t.page.evaluate(STORED))) as { runId: string; query: string };
      const [start] = await t.backend.starts();
      assert.ok(start?.run);
      assert.deepEqual(stored, { runId: start.run, query: QUESTION }, "only the run's id and its question are kept");
      const reloadedAt = Date.now();
      await t.page.reload();
      await seer.bestQuery.waitFor({ timeout: 15_000 });
      assert.equal(await seer.input.inputValue(), QUESTION);
      assert.equal(await seer.phase.textContent(), "Done");
      assert.equal(await seer.candidates.count(), 2);
      const polls = await t.backend.states();
      assert.ok(polls.some((poll) => poll.at >= reloadedAt), "the reloaded page polled");
      assert.ok(polls.every((poll) => poll.run === start.run), "every poll is of the one run");
      assert.equal(await t.page.evaluate(STORED), null, "the entry goes when the run ends");
      await assertEndedCleanly(t.backend);
    });

    test("a stored run the agent no longer knows: the quiet gone state, no error, and a new question works", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await seer.currentStep.waitFor();
      // The page is left mid-run, its run still stored; meanwhile the agent's server restarts.
      await t.page.goto(t.url("__sim/requests"));
      await t.backend.restart();
      await t.page.goto(t.url("?pollIntervalMs=250"));
      await t.page.getByTestId("gone").waitFor({ timeout: 10_000 });
      assert.equal(await seer.phase.textContent(), "No longer known");
      assert.equal(await seer.alert.count(), 0, "gone is not a failure");
      assert.equal(await seer.currentStep.count(), 0);
      assert.equal(await t.page.locator(".spinner").count(), 0);
      assert.equal(await t.page.evaluate(STORED), null);
      const unknown = (await t.backend.states()).filter((poll) => poll.status === 404);
      assert.equal(unknown.length, 1, "one poll finds the run gone, and polling stops");
      await assertQuiet(t.backend, "nothing after the run was found gone");
      assert.equal(await seer.search("Errors", "unhandled TypeError in release 2.4.1"), "error.unhandled:true error.type:TypeError release:2.4.1");
      assert.equal(await t.page.getByTestId("gone").count(), 0);
      assertOneAtATime(await t.backend.requests(), 2);
    });
  });
}
