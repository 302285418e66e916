/**
 * The page in the faults a real browser adds: offline, an unreachable network that still looks
 * online, a slow network, a connection dropped mid-body, a server that forgets its runs, a
 * frozen page and the back/forward cache. Each test checks what the page shows, the agent's
 * request log (one start per question, one request at a time, nothing after the run ends) and
 * what the browser itself sent.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { assertEndedCleanly, assertOneAtATime, assertQuiet, eventually, sleep, useBrowser, usePage, watchTraffic } from "./harness.ts";

const QUESTION = "slow checkout spans in production today";
const STATE = /\/search-agent\/state\//;

const browser = useBrowser();

describe("faults in the browser, production build", () => {
  const t = usePage(browser, "dist");

  test("offline for 5 s mid-run: paused as offline, nothing sent, a poll at once when back online, one start", async () => {
    const seer = await t.open("?pollIntervalMs=1000");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    await t.context.setOffline(true);
    await t.page.locator('section[data-phase="paused"]').waitFor();
    assert.equal(await seer.phase.textContent(), "Paused while offline");
    assert.equal(await t.page.evaluate("navigator.onLine"), false);
    const pausedAt = Date.now();
    await sleep(5000);
    assert.deepEqual(traffic.sent.filter((request) => request.at >= pausedAt), [], "nothing is sent while offline");
    const onlineAt = Date.now();
    await t.context.setOffline(false);
    const first = await eventually("a poll after going online", async () =>
      (await t.backend.states()).find((poll) => poll.at >= onlineAt),
    );
    assert.ok(first.at - onlineAt < 500, `the first poll came ${String(first.at - onlineAt)} ms after going online, not at the 1 s cadence`);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.phase.textContent(), "Done");
    await assertEndedCleanly(t.backend, traffic);
  });

  test("offline for longer than maxErrorWindowMs: the paused run stays alive and completes once online", async () => {
    const seer = await t.open("?pollIntervalMs=250&errorPollIntervalMs=300&maxErrorWindowMs=1500");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    await t.context.setOffline(true);
    await t.page.locator('section[data-phase="paused"]').waitFor();
    await sleep(4000);
    assert.equal(await seer.phase.textContent(), "Paused while offline", "paused time spends no error window");
    assert.equal(await seer.alert.count(), 0);
    await t.context.setOffline(false);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    await assertEndedCleanly(t.backend, traffic);
  });

  test("every poll failing while navigator.onLine stays true: a clear error after the window, then Try again completes", async () => {
    const seer = await t.open("?pollIntervalMs=250&errorPollIntervalMs=300&maxErrorWindowMs=2000");
    const traffic = watchTraffic(t.page);
    await t.page.route(STATE, (route) => route.abort("connectionrefused"));
    await seer.ask(QUESTION);
    const retrying = t.page.getByTestId("retrying");
    await retrying.waitFor();
    assert.equal(await retrying.getAttribute("data-why"), "unreachable");
    assert.equal(await t.page.evaluate("navigator.onLine"), true);
    await seer.alert.waitFor({ timeout: 10_000 });
    assert.match((await seer.alert.textContent()) ?? "", /Couldn't reach Sentry/);
    assert.equal(await seer.phase.textContent(), "Failed");
    const endedAt = Date.now();
    await sleep(1500);
    assert.deepEqual(traffic.sent.filter((request) => request.at >= endedAt), [], "nothing after the run ended");
    await t.page.unroute(STATE);
    await seer.tryAgain.click();
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.alert.count(), 0);
    assert.ok(traffic.maxInFlight() <= 1);
    await assertQuiet(t.backend, "nothing after the second run completed");
    const log = await t.backend.requests();
    assertOneAtATime(log, 2);
    assert.equal(log[0]?.method, "POST", "the first run's polls never reached the agent");
  });

  test("a slow network: answers after 3 s with requestTimeoutMs 1000 show as slow, not unreachable, and the run recovers", async () => {
    const seer = await t.open("?pollIntervalMs=250&errorPollIntervalMs=300&requestTimeoutMs=1000&maxErrorWindowMs=30000");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    const slowFrom = Date.now();
    await t.backend.delayStates(3000);
    const retrying = t.page.getByTestId("retrying");
    await retrying.waitFor({ timeout: 5000 });
    assert.equal(await retrying.getAttribute("data-why"), "slow");
    assert.match((await retrying.textContent()) ?? "", /slow/i);
    assert.equal(await seer.phase.textContent(), "Retrying");
    await eventually("two aborted polls", async () => {
      const aborted = (await t.backend.states()).filter((poll) => poll.at >= slowFrom && poll.endedAt !== null && poll.status === 200);
      return aborted.length >= 2 ? aborted : undefined;
    });
    for (const poll of (await t.backend.states()).filter((p) => p.at >= slowFrom && p.endedAt !== null)) {
      const held = (poll.endedAt ?? 0) - poll.at;
      assert.ok(held >= 900 && held < 2000, `the client gave up after about 1 s, not 3 s: ${String(held)} ms`);
    }
    await t.backend.delayStates(0);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await retrying.count(), 0);
    await assertEndedCleanly(t.backend, traffic);
  });

  test("a connection dropped mid-body is retried and the run completes", async () => {
    const seer = await t.open("?scenario=dropped-body&pollIntervalMs=250&errorPollIntervalMs=300");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await t.page.locator('.timeline .bar[data-outcome="retrying"]').count(), 2);
    assert.equal(await seer.alert.count(), 0);
    const polls = await t.backend.states();
    assert.ok(polls.length >= 4);
    await assertEndedCleanly(t.backend, traffic);
  });

  test("the agent's server restarts and forgets the run: an error saying so, no more polls, and a new question works", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    await t.backend.restart();
    await seer.alert.waitFor({ timeout: 5000 });
    assert.match((await seer.alert.textContent()) ?? "", /no longer knows this search/);
    assert.equal(await seer.phase.textContent(), "Failed");
    const [forgotten] = await t.backend.starts();
    await assertQuiet(t.backend, "no poll after the 404");
    assert.equal((await t.backend.states()).filter((poll) => poll.status === 404).length, 1);
    assert.equal(await seer.search("Errors", "unhandled TypeError in release 2.4.1"), "error.unhandled:true error.type:TypeError release:2.4.1");
    const log = await t.backend.requests();
    assertOneAtATime(log, 2);
    const second = log.filter((request) => request.method === "POST")[1];
    assert.ok(forgotten && second);
    assert.ok(log.filter((request) => request.at > second.at).every((request) => request.run === second.run));
  });

  test("a frozen page sends nothing and, resumed, polls on without a second start or two requests at once", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    const cdp = await t.context.newCDPSession(t.page);
    // Headless Chromium keeps every page visible, and does not freeze a visible page: the
    // lifecycle state is set as a browser sets it, and the page's tasks are held with the
    // debugger for as long, which is what freezing does to them.
    await cdp.send("Debugger.enable");
    await cdp.send("Page.setWebLifecycleState", { state: "frozen" });
    await cdp.send("Debugger.pause");
    const frozenAt = Date.now();
    await sleep(3000);
    const whileFrozen = (await t.backend.requests()).filter((request) => request.at > frozenAt + 100);
    assert.deepEqual(whileFrozen, [], "nothing is sent while frozen");
    const thawedAt = Date.now();
    await cdp.send("Debugger.resume");
    await cdp.send("Page.setWebLifecycleState", { state: "active" });
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.ok((await t.backend.states()).some((poll) => poll.at >= thawedAt), "polling resumed");
    await assertEndedCleanly(t.backend, traffic);
  });
});

describe("the back/forward cache, production build", () => {
  // Playwright turns the cache off by default; this browser keeps it.
  const t = usePage(useBrowser(["--disable-back-forward-cache"]), "dist");

  test("back/forward cache: the restored page polls its run on to the end, with no stale spinner and one poller", async () => {
    await t.page.addInitScript(() => {
      window.addEventListener("pageshow", (event) => {
        document.documentElement.dataset.restored = String(event.persisted);
      });
    });
    const seer = await t.open("?pollIntervalMs=250");
    const traffic = watchTraffic(t.page);
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    await t.page.goto(t.url("__sim/requests"));
    const leftAt = Date.now();
    await sleep(1500);
    const whileAway = (await t.backend.requests()).filter((request) => request.at > leftAt + 100);
    assert.deepEqual(whileAway, [], "the page in the cache sends nothing");
    const backAt = Date.now();
    // A page restored from the cache fires no load event.
    await t.page.goBack({ waitUntil: "commit" });
    await seer.input.waitFor();
    assert.equal(await t.page.evaluate("document.documentElement.dataset.restored"), "true", "restored from the back/forward cache");
    // A spinner is stale when nothing drives it: then it never goes away.
    await t.page.locator(".spinner").waitFor({ state: "detached", timeout: 15_000 });
    assert.equal(await seer.phase.textContent(), "Done");
    assert.equal(await seer.candidates.count(), 2, "the restored page finished its run");
    assert.ok((await t.backend.states()).some((poll) => poll.at >= backAt), "the restored run polled on");
    await assertEndedCleanly(t.backend, traffic);
  });
});
