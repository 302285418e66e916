/**
 * The page end to end: headless Chromium against the built app and the simulated search
 * agent. Each test checks what the page shows and which requests the agent saw.
 */
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { simulatorMiddleware } from "../server/middleware.ts";
import { answerQuestion } from "../server/queryBuilder.ts";
import { SearchAgentSimulator } from "../server/simulator.ts";
import { ARTIFACTS, askSeer, assertEndedCleanly, assertQuiet, eventually, serveApp, sleep, useBrowser, usePage, visibilityScript, type App } from "./harness.ts";

const QUESTION = "slow checkout spans in production today";
const UUID_STATE = /\/search-agent\/state\/[0-9a-f-]{36}\/$/;
const NUMERIC_STATE = /\/search-agent\/state\/\d+\/$/;

const browser = useBrowser();

describe("development build, under StrictMode", () => {
  const t = usePage(browser, "dist-dev");

  test("UUID run: steps appear one by one, a repeat as a second pass, then the candidates; polling stops", async () => {
    const seer = await t.open("");
    await seer.ask(QUESTION);
    await t.page.locator(".step-current .spinner").waitFor();
    await t.page.locator('.step-current[data-step="get_field_values"][data-runs="2"]').waitFor();
    await t.page.getByText("2nd pass").waitFor();
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.bestQuery.getAttribute("data-query"), "span.duration:>500ms environment:production transaction:*checkout*");
    assert.equal(await seer.phase.textContent(), "Done");
    assert.deepEqual(await seer.doneSteps.evaluateAll((items) => items.map((item) => [item.getAttribute("data-step"), item.getAttribute("data-runs")])), [
      ["get_field_values", "2"],
      ["execute_query", "1"],
      ["finalize_queries", "1"],
    ]);
    assert.deepEqual(await seer.doneSteps.allTextContents(), [
      "✓Looking up your attributes and their values2 passes",
      "✓Running a query to check it finds results",
      "✓Checking and ranking the queries",
    ]);
    assert.equal(await seer.currentStep.count(), 0);
    await t.page.screenshot({ path: `${ARTIFACTS}completed.png`, fullPage: true });

    const [start, ...rest] = await t.backend.requests();
    assert.ok(start);
    assert.equal(start.method, "POST");
    assert.deepEqual(start.body, { natural_language_query: QUESTION, project_ids: [-1], strategy: "Traces", referrer: "search_bar" });
    assert.ok(rest.length >= 4, `expected several polls, got ${String(rest.length)}`);
    for (const poll of rest) {
      assert.match(poll.path, UUID_STATE);
      assert.equal(poll.run, start.run);
    }
    const first = rest[0];
    assert.ok(first && first.at - start.at < 500, "the first poll comes before the agent picks the run up");
    const gaps = rest.slice(1).map((poll, index) => poll.at - (rest[index]?.at ?? 0));
    assert.ok(gaps.every((gap) => gap >= 450), `polls are about 500 ms apart: ${gaps.join(", ")}`);
    await assertQuiet(t.backend, "no polls after the run completed");
    const outcomes = await seer.bars.evaluateAll((bars) => bars.map((bar) => bar.getAttribute("data-outcome")));
    assert.equal(outcomes.length, rest.length + 1, "the timeline shows every request");
    assert.ok(outcomes.every((outcome) => outcome === "ok"), outcomes.join(", "));
  });

  test("an older server's numeric ids: polls by run_id and completes", async () => {
    const seer = await t.open("?scenario=legacy-server&pollIntervalMs=250");
    const query = await seer.search("Errors", "unhandled TypeError in release 2.4.1");
    assert.equal(query, "error.unhandled:true error.type:TypeError release:2.4.1");
    assert.match((await seer.section.locator(".run-id").textContent()) ?? "", /^run \d+$/);
    const polls = await t.backend.states();
    assert.ok(polls.length >= 3);
    for (const poll of polls) assert.match(poll.path, NUMERIC_STATE);
  });

  test("a start response without ids shows the error and sends no poll", async () => {
    const seer = await t.open("?scenario=missing-ids");
    await seer.ask(QUESTION);
    await seer.alert.waitFor();
    assert.match((await seer.alert.textContent()) ?? "", /did not say which search to follow/);
    assert.equal(await seer.phase.textContent(), "Failed");
    await t.page.locator('.timeline .bar[data-outcome="failed"]').waitFor();
    await t.page.screenshot({ path: `${ARTIFACTS}error.png`, fullPage: true });
    await assertQuiet(t.backend, "nothing after the failed start");
    assert.equal((await t.backend.starts()).length, 1);
    assert.equal((await t.backend.states()).length, 0);
  });

  test("a run that fails on the server: Try again asks anew and succeeds", async () => {
    const seer = await t.open("?scenario=error&pollIntervalMs=250");
    await seer.ask(QUESTION);
    await seer.alert.waitFor({ timeout: 15_000 });
    assert.match((await seer.alert.textContent()) ?? "", /Seer ran into a problem/);
    assert.equal(await seer.bestQuery.count(), 0);
    await seer.tryAgain.click();
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.alert.count(), 0);
    const starts = await t.backend.starts();
    assert.equal(starts.length, 2);
    assert.notEqual(starts[0]?.run, starts[1]?.run);
    assert.deepEqual(
      starts.map((start) => (start.body as { natural_language_query: string }).natural_language_query),
      [QUESTION, QUESTION],
    );
  });

  test("Reset mid-run returns to idle and stops polling", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    await seer.resetButton.click();
    assert.equal(await seer.phase.textContent(), "Idle");
    assert.equal(await seer.currentStep.count(), 0);
    assert.equal(await seer.doneSteps.count(), 0);
    await t.page.locator(".timeline .marker-idle").waitFor();
    await assertQuiet(t.backend, "no polls after reset");
    assert.equal((await t.backend.starts()).length, 1);
  });

  test("unmounting the search mid-run sends no further requests", async () => {
    const seer = await t.open("?pollIntervalMs=200");
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    const polling = (await t.backend.states()).length;
    await eventually("another poll", async () => ((await t.backend.states()).length > polling ? true : undefined));
    await t.page.getByLabel("Show the search component").uncheck();
    await t.page.getByText("The search component is unmounted.").waitFor();
    await assertQuiet(t.backend, "no requests after unmount");
  });

  test("a hidden page stops polling and resumes when shown", async () => {
    const seer = await t.open("?pollIntervalMs=200");
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    const setVisibility = (state: "hidden" | "visible") => t.page.evaluate(visibilityScript(state));
    await setVisibility("hidden");
    await t.page.locator(`section[data-phase="paused"]`).waitFor();
    await assertQuiet(t.backend, "no polls while hidden");
    assert.equal(await seer.phase.textContent(), "Paused while hidden");
    const whileHidden = (await t.backend.states()).length;
    await setVisibility("visible");
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.ok((await t.backend.states()).length > whileHidden, "polling resumed");
    await t.page.locator(".lane-track .band-paused").waitFor();
  });

  test("StrictMode's double mount sends one start for a question in the URL", async () => {
    const seer = await t.open(`?scenario=legacy-server&pollIntervalMs=250&q=${encodeURIComponent(QUESTION)}`);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.section.getAttribute("data-mounts"), "2", "StrictMode mounted the component twice");
    assert.equal(await seer.input.inputValue(), QUESTION);
    const starts = await t.backend.starts();
    const [start, ...others] = starts;
    assert.ok(start && others.length === 0, JSON.stringify(starts));
    assert.equal(start.scenario, "legacy-server", "the question asked on load carries the URL's scenario");
    for (const poll of await t.backend.states()) {
      assert.equal(poll.run, start.run);
      assert.match(poll.path, NUMERIC_STATE);
    }
    const phases = await t.page
      .locator(".lane-track .band, .lane-track .marker")
      .evaluateAll((marks) => marks.map((mark) => mark.getAttribute("class")));
    assert.deepEqual(phases, ["band band-starting", "band band-polling", "marker marker-completed"]);
  });

  test("flaky polls back off and the timeline shows the retries", async () => {
    const seer = await t.open("?scenario=flaky-polls&pollIntervalMs=200&errorPollIntervalMs=400");
    await seer.ask(QUESTION);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    const failures = (await t.backend.states()).filter((poll) => poll.status >= 500);
    assert.deepEqual(
      failures.map((poll) => poll.status),
      [503, 503, 502],
    );
    const retried = await t.page.locator('.timeline .bar[data-outcome="retrying"]').count();
    assert.equal(retried, 3);
    await t.page.screenshot({ path: `${ARTIFACTS}retries.png`, fullPage: true });
  });

  test("429 with Retry-After waits as long as the server asks", async () => {
    const seer = await t.open("?scenario=rate-limited&pollIntervalMs=200&errorPollIntervalMs=300");
    await seer.ask(QUESTION);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    const polls = await t.backend.states();
    const limited = polls.findIndex((poll) => poll.status === 429);
    const next = polls[limited + 1];
    const throttled = polls[limited];
    assert.ok(throttled && next, "a poll after the 429");
    assert.ok(next.at - throttled.at >= 1950, `waited ${String(next.at - throttled.at)} ms`);
  });

  test("a stuck run times out after staleAfterMs and polling stops", async () => {
    const seer = await t.open("?scenario=stuck&pollIntervalMs=200&staleAfterMs=1500");
    await seer.ask(QUESTION);
    await seer.alert.waitFor({ timeout: 15_000 });
    assert.match((await seer.alert.textContent()) ?? "", /stopped making progress/);
    assert.equal(await seer.phase.textContent(), "Timed out");
    await assertQuiet(t.backend, "no polls after the timeout");
  });

  test("picking another dataset mid-run keeps the run under way; the next question asks of the new one", async () => {
    const seer = await t.open("?pollIntervalMs=200");
    await seer.ask(QUESTION);
    await seer.currentStep.waitFor();
    const polled = (await t.backend.states()).length;
    await t.page.getByRole("button", { name: "Logs", exact: true }).click();
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.phase.textContent(), "Done");
    const [start] = await t.backend.starts();
    const polls = await t.backend.states();
    assert.ok(polls.length > polled, "the run went on");
    assert.ok(polls.every((poll) => poll.run === start?.run), "every poll is of the one run");
    await assertEndedCleanly(t.backend);
    await seer.resetButton.click();
    assert.equal(await seer.search("Logs", "warning logs from service billing-api"), "severity:warning service:billing-api");
    const starts = await t.backend.starts();
    assert.deepEqual(
      starts.map((request) => (request.body as { strategy: string }).strategy),
      ["Traces", "Logs"],
    );
  });

  test("requests slower than requestTimeoutMs are aborted and shown so", async () => {
    const seer = await t.open("?scenario=slow&requestTimeoutMs=800");
    await seer.ask(QUESTION);
    await seer.alert.waitFor({ timeout: 15_000 });
    assert.match((await seer.alert.textContent()) ?? "", /no answer within 800 ms/);
    assert.equal(await t.page.locator('.timeline .bar[data-outcome="aborted"]').count(), 1);
    assert.equal((await t.backend.starts()).length, 1);
  });

  test("switching the scenario in the dev panel applies to the next question", async () => {
    const seer = await t.open("");
    await t.page.getByLabel("Scenario").selectOption("unsupported");
    assert.match(t.page.url(), /scenario=unsupported/);
    await seer.ask("compare errors between two releases");
    await t.page.getByTestId("unsupported").waitFor({ timeout: 15_000 });
    const [start] = await t.backend.starts();
    assert.equal(start?.scenario, "unsupported");
  });
});

describe("Seer's queries, production build", () => {
  const t = usePage(browser, "dist");
  const GROUPED = "slow checkout spans today by browser";

  test("today's answer: every candidate shows best first with its facts; picking one puts it in use", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    await seer.ask(GROUPED);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    const [start, ...others] = await t.backend.starts();
    assert.ok(start && others.length === 0);
    const answer = answerQuestion(GROUPED, "Traces", start.at);
    assert.ok(answer.kind === "query" && answer.queries.length === 3);
    const day = new Date(start.at).toISOString().slice(0, 10);
    const counted = (index: number): string => (answer.queries[index]?.result_count ?? 0).toLocaleString("en-US");
    assert.deepEqual(await seer.shownCandidates(), [
      {
        query: "span.duration:>500ms transaction:*checkout*",
        facts: { Period: "last 24h", Sort: "-span.duration", "Group by": "browser.name", Charts: "p95(span.duration) as line", Mode: "aggregates", Results: counted(0) },
      },
      {
        query: "span.duration:>500ms",
        facts: {
          Period: `${day}T00:00:00 – ${new Date(start.at).toISOString().slice(0, 13)}:00:00`,
          Sort: "-timestamp",
          Charts: "p95(span.duration) as line every 1h",
          Mode: "samples",
          Results: counted(1),
        },
      },
      {
        query: "span.duration:>500ms transaction:*checkout*",
        facts: { Period: "last 24h", Sort: "-span.duration", Charts: "p95(span.duration) as line", Mode: "samples", Results: counted(2) },
      },
    ]);
    assert.equal(await seer.candidates.nth(0).locator(".token").count(), 2, "the best query shows as two tokens");
    assert.equal(await seer.applied.locator(".tokens").count(), 0);
    await t.page.getByRole("button", { name: "Use query 2" }).click();
    assert.equal(await seer.applied.locator(".tokens").getAttribute("data-query"), "span.duration:>500ms");
    assert.equal(await t.page.getByRole("button", { name: "Use query 2" }).getAttribute("aria-pressed"), "true");
    assert.equal(await t.page.getByRole("button", { name: "Use query 1" }).getAttribute("aria-pressed"), "false");
    await t.page.screenshot({ path: `${ARTIFACTS}candidates.png`, fullPage: true });
    await assertQuiet(t.backend, "picking a query sends nothing");
  });

  test("an older server's single camelCase answer shows as one candidate", async () => {
    const seer = await t.open("?scenario=legacy-server&pollIntervalMs=250");
    assert.equal(await seer.search("Traces", GROUPED), "span.duration:>500ms transaction:*checkout*");
    assert.deepEqual(await seer.shownCandidates(), [
      {
        query: "span.duration:>500ms transaction:*checkout*",
        facts: { Period: "last 24h", Sort: "-span.duration", "Group by": "browser.name", Charts: "p95(span.duration) as line", Mode: "aggregates", Results: "not counted" },
      },
    ]);
    for (const poll of await t.backend.states()) assert.match(poll.path, NUMERIC_STATE);
    await t.page.getByRole("button", { name: "Use query 1" }).click();
    assert.equal(await seer.applied.locator(".tokens").getAttribute("data-query"), "span.duration:>500ms transaction:*checkout*");
  });

  test("an unsupported question shows the reason and no candidates; its steps end with the decision", async () => {
    const seer = await t.open("?scenario=unsupported&pollIntervalMs=250");
    await seer.ask(GROUPED);
    await t.page.getByTestId("unsupported").waitFor({ timeout: 15_000 });
    assert.match((await t.page.getByTestId("unsupported").textContent()) ?? "", /cannot be answered with a search yet/);
    assert.equal(await seer.candidates.count(), 0);
    assert.equal(await seer.generateAgain.count(), 0);
    assert.deepEqual(await seer.doneSteps.allTextContents(), ["✓Looking up your attributes and their values", "✓Deciding this can't be a search"]);
    assert.equal((await t.backend.starts()).length, 1);
    await assertQuiet(t.backend, "no polls after the answer");
  });

  test("a repeated step stays one line that counts its passes", async () => {
    const seer = await t.open("?pollIntervalMs=100");
    await seer.ask(GROUPED);
    const seen = new Set<string>();
    while ((await seer.candidates.count()) === 0) {
      const lines = await t.page.locator(".steps .step").evaluateAll((items) =>
        items.map((item) => `${item.getAttribute("data-step") ?? ""}@${item.getAttribute("data-runs") ?? ""}${item.getAttribute("aria-current") === null ? "" : "*"}`),
      );
      const keys = lines.map((line) => line.split("@")[0]);
      assert.equal(new Set(keys).size, keys.length, `one line per step: ${lines.join(", ")}`);
      for (const line of lines) seen.add(line);
      await sleep(50);
    }
    assert.ok(seen.has("get_field_values@1*"), [...seen].join(", "));
    assert.ok(seen.has("get_field_values@2*"), "the second pass shows on the same line while it runs");
    assert.equal(await t.page.locator('.step[data-step="get_field_values"]').textContent(), "✓Looking up your attributes and their values2 passes");
  });

  test("Generate again asks the same question as a new run and shows its candidates", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    await seer.ask(GROUPED);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    await seer.generateAgain.click();
    await eventually("the second start", async () => ((await t.backend.starts()).length === 2 ? true : undefined));
    await seer.candidates.first().waitFor({ state: "detached" });
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    assert.equal(await seer.candidates.count(), 3);
    const [first, second] = await t.backend.starts();
    assert.ok(first && second);
    assert.notEqual(first.run, second.run);
    assert.deepEqual(
      [first, second].map((start) => (start.body as { natural_language_query: string }).natural_language_query),
      [GROUPED, GROUPED],
    );
    const polls = await t.backend.states();
    assert.ok(polls.every((poll) => poll.run === (poll.at < second.at ? first.run : second.run)), "no poll of the first run after the second start");
    await assertQuiet(t.backend, "no polls after the second run ended");
  });
});

describe("production build", () => {
  const t = usePage(browser, "dist");

  test("loads the wasm package and completes a run, mounting once", async () => {
    const seer = await t.open("?pollIntervalMs=250");
    const query = await seer.search("Issues", "unassigned issues in production this week");
    assert.equal(query, "is:unresolved is:unassigned environment:production");
    assert.equal(await seer.section.getAttribute("data-mounts"), "1");
    const [start] = await t.backend.starts();
    assert.equal((start?.body as { strategy: string }).strategy, "Issues");
  });
});

describe("proxy mode", () => {
  const TOKEN = "sntrys_test_token_7d1c";
  const sim = new SearchAgentSimulator();
  const seen: { authorization: string | undefined; cookie: string | undefined; path: string }[] = [];
  const sentry = createServer((req, res) => {
    seen.push({ authorization: req.headers.authorization, cookie: req.headers.cookie, path: req.url ?? "" });
    simulatorMiddleware(sim)(req, res, () => res.writeHead(404).end());
  });
  let app: App;

  before(async () => {
    await new Promise<void>((resolve) => sentry.listen(0, "127.0.0.1", resolve));
    const address = sentry.address();
    assert.ok(address !== null && typeof address === "object");
    app = await serveApp("dist", {
      SENTRY_URL: `http://127.0.0.1:${String(address.port)}/`,
      SENTRY_AUTH_TOKEN: TOKEN,
      SENTRY_ORG: "acme-eu",
      SENTRY_PROJECT_IDS: "11,12",
    });
  });
  after(async () => {
    await app.close();
    await new Promise((resolve) => sentry.close(resolve));
  });

  test("requests reach Sentry with the token added server-side; the browser never sees it", async () => {
    const context = await browser.get().newContext();
    await context.addCookies([{ name: "session", value: "browser-only", url: app.url }]);
    const page = await context.newPage();
    const sent: Record<string, string>[] = [];
    const bodies: string[] = [];
    page.on("request", (request) => sent.push(request.headers()));
    page.on("response", (response) => {
      void response.text().then((text) => bodies.push(text), () => undefined);
    });
    await page.goto(`${app.url}?pollIntervalMs=250`);
    const seer = askSeer(page);
    await page.getByText("Sentry at http://127.0.0.1").first().waitFor();
    await seer.ask(QUESTION);
    await seer.bestQuery.waitFor({ timeout: 15_000 });
    await context.close();

    const api = seen.filter((request) => request.path.startsWith("/api/0/"));
    assert.ok(api.length >= 3, `Sentry saw ${String(api.length)} requests`);
    for (const request of api) {
      assert.equal(request.authorization, `Bearer ${TOKEN}`);
      assert.equal(request.cookie, undefined);
      assert.match(request.path, /^\/api\/0\/organizations\/acme-eu\/search-agent\//);
    }
    const [start] = sim.requests();
    assert.deepEqual((start?.body as { project_ids: number[] }).project_ids, [11, 12]);
    assert.ok(sent.length > 0 && bodies.length > 0);
    assert.ok(sent.every((headers) => !("authorization" in headers)), "the browser sends no Authorization");
    assert.ok(bodies.every((body) => !body.includes(TOKEN)), "no response to the browser contains the token");
  });
});
