/**
 * Options that change while a run is polled: a token rotated mid-run (the dev panel's "Rotate
 * token", which the page passes to the hook as its `Authorization` header) is on every later poll
 * of the same run, as the agent sees them, with one start; the next question carries it too.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertEndedCleanly, eventually, useBrowser, usePage } from "./harness.ts";

const QUESTION = "slow checkout spans in production today";
const FIRST = "Bearer demo-token-1";
const SECOND = "Bearer demo-token-2";

const browser = useBrowser();

for (const build of ["dist", "dist-dev"] as const) {
  describe(`a token rotated mid-run, ${build === "dist" ? "production build" : "development build, under StrictMode"}`, () => {
    const t = usePage(browser, build);

    test("every poll after the rotation carries the new token; one start, one run", async () => {
      const seer = await t.open("?pollIntervalMs=250");
      await seer.ask(QUESTION);
      await eventually("two polls", async () => ((await t.backend.states()).length >= 2 ? true : undefined));
      await t.page.getByRole("button", { name: "Rotate token" }).click();
      await seer.bestQuery.waitFor({ timeout: 15_000 });
      const [start] = await t.backend.starts();
      assert.equal(start?.authorization, FIRST);
      const polls = await t.backend.states();
      assert.ok(polls.every((poll) => poll.run === start.run), "every poll is of the one run");
      const tokens = polls.map((poll) => poll.authorization);
      // The poll in flight at the rotation may carry the old token; from the first new one on, all do.
      const first = tokens.indexOf(SECOND);
      assert.ok(first > 0, `no poll carried the new token: ${JSON.stringify(tokens)}`);
      assert.ok(tokens.slice(0, first).every((token) => token === FIRST), JSON.stringify(tokens));
      assert.ok(tokens.slice(first).every((token) => token === SECOND), JSON.stringify(tokens));
      assert.ok(polls.slice(first).length >= 2, JSON.stringify(tokens));
      await assertEndedCleanly(t.backend);
      // The next question is asked with the token of the moment.
      assert.notEqual(await seer.search("Errors", "unhandled TypeError in release 2.4.1"), null);
      const starts = await t.backend.starts();
      assert.deepEqual(
        starts.map((request) => request.authorization),
        [FIRST, SECOND],
      );
      assert.ok((await t.backend.states()).slice(polls.length).every((poll) => poll.authorization === SECOND));
    });
  });
}
