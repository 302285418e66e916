/** The simulated search agent against the server contract, on a hand-driven clock. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { answerQuestion } from "../server/queryBuilder.ts";
import { SearchAgentSimulator, type SimResponse } from "../server/simulator.ts";
import type { ScenarioName } from "../src/scenarios.ts";

const BASE = "/api/0/organizations/acme/search-agent";
const START_BODY = JSON.stringify({
  natural_language_query: "slow checkout spans today",
  project_ids: [-1],
  strategy: "Traces",
  referrer: "search_bar",
});

/** A simulator whose clock the test moves. */
function simulator() {
  let now = 1_700_000_000_000;
  const sim = new SearchAgentSimulator(() => now);
  const parse = (response: SimResponse): Record<string, unknown> => JSON.parse(response.body) as Record<string, unknown>;
  return {
    sim,
    advance(ms: number): void {
      now += ms;
    },
    start(scenario: ScenarioName, body = START_BODY) {
      const response = sim.handle({ method: "POST", path: `${BASE}/start/`, scenario, body });
      return { status: response.status, body: parse(response) };
    },
    state(id: string | number) {
      const response = sim.handle({ method: "GET", path: `${BASE}/state/${String(id)}/`, scenario: undefined, body: "" });
      return { status: response.status, body: parse(response), headers: response.headers };
    },
  };
}

const sessionOf = (body: Record<string, unknown>): Record<string, unknown> => body.session as Record<string, unknown>;
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../tests/fixtures/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;

describe("simulated search agent", () => {
  test("UUID run: status-only before pick-up, then steps, then the fixture's shape", () => {
    const t = simulator();
    const started = t.start("uuid");
    assert.equal(started.status, 200);
    assert.equal(started.body.run_id, null);
    const uuid = started.body.sentry_run_id as string;
    assert.deepEqual(t.state(uuid).body, fixture("state-pending.json"));
    t.advance(700);
    const early = t.state(uuid).body;
    assert.equal(early.sentry_run_id, uuid);
    assert.deepEqual(sessionOf(early).current_step, { key: "understanding_query" });
    const numeric = sessionOf(early).run_id as number;
    t.advance(1000);
    const later = sessionOf(t.state(numeric).body);
    assert.deepEqual(later.completed_steps, [{ key: "understanding_query" }]);
    assert.notEqual(later.updated_at, sessionOf(early).updated_at);
    t.advance(3000);
    const done = t.state(uuid).body;
    const expected = fixture("state-completed.json");
    assert.deepEqual(Object.keys(done).sort(), Object.keys(expected).sort());
    assert.deepEqual(Object.keys(sessionOf(done)).sort(), Object.keys(sessionOf(expected)).sort());
    assert.equal(sessionOf(done).status, "completed");
    assert.equal(sessionOf(done).current_step, null);
    assert.equal(sessionOf(done).final_query, "span.duration:>500ms transaction:*checkout*");
  });

  test("legacy run: numeric id only, no sentry_run_id in state bodies", () => {
    const t = simulator();
    const started = t.start("legacy");
    assert.deepEqual(Object.keys(started.body), ["run_id"]);
    const state = t.state(started.body.run_id as number);
    assert.equal(state.status, 200);
    assert.equal(state.body.sentry_run_id, undefined);
    assert.equal(sessionOf(state.body).status, "processing");
  });

  test("start failures: retry_token names a pollable run; 500, 403 and missing ids do not", () => {
    const t = simulator();
    const retried = t.start("start-500-retry-token");
    assert.equal(retried.status, 500);
    assert.equal(t.state(retried.body.retry_token as string).status, 200);
    assert.deepEqual(t.start("start-500"), { status: 500, body: { detail: "Failed to start search agent" } });
    assert.equal(t.start("forbidden").status, 403);
    assert.deepEqual(t.start("missing-ids"), { status: 200, body: { run_id: null } });
    assert.equal(t.start("uuid", "{").status, 400);
    assert.equal(t.start("uuid", JSON.stringify({ natural_language_query: "x", project_ids: [1], strategy: "Spans" })).status, 400);
  });

  test("unknown and invalid ids", () => {
    const t = simulator();
    assert.deepEqual(t.state("5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d").body, fixture("state-404-not-found.json"));
    assert.equal(t.state("5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d").status, 404);
    assert.deepEqual(t.state("not-an-id"), { status: 400, body: fixture("state-400-invalid-run-id.json"), headers: { "content-type": "application/json" } });
  });

  test("faults on given polls: 503/502 HTML, 429 with Retry-After, truncated JSON", () => {
    const t = simulator();
    const flaky = t.start("flaky-polls").body.sentry_run_id as string;
    const limited = t.start("rate-limited").body.sentry_run_id as string;
    const statuses = Array.from({ length: 6 }, () => t.sim.handle({ method: "GET", path: `${BASE}/state/${flaky}/`, scenario: undefined, body: "" }).status);
    assert.deepEqual(statuses, [200, 503, 503, 200, 200, 502]);
    t.state(limited);
    const throttled = t.state(limited);
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers["retry-after"], "2");
    const malformed = t.start("malformed-json").body.sentry_run_id as string;
    t.state(malformed);
    const broken = t.sim.handle({ method: "GET", path: `${BASE}/state/${malformed}/`, scenario: undefined, body: "" });
    assert.equal(broken.status, 200);
    assert.throws(() => JSON.parse(broken.body) as unknown);
  });

  test("error runs fail once per question; stuck runs stop moving; logs record scenarios", () => {
    const t = simulator();
    const failing = t.start("error").body.sentry_run_id as string;
    const retry = t.start("error").body.sentry_run_id as string;
    const stuck = t.start("stuck").body.sentry_run_id as string;
    t.advance(2500);
    const stuckAt = sessionOf(t.state(stuck).body).updated_at;
    t.advance(5000);
    assert.equal(sessionOf(t.state(failing).body).status, "error");
    assert.equal(sessionOf(t.state(retry).body).status, "completed");
    const frozen = sessionOf(t.state(stuck).body);
    assert.equal(frozen.status, "processing");
    assert.deepEqual(frozen.current_step, { key: "checking_values" });
    assert.equal(frozen.updated_at, stuckAt);
    assert.deepEqual(
      t.sim.requests().map((request) => [request.method, request.scenario]),
      [["POST", "error"], ["POST", "error"], ["POST", "stuck"], ["GET", "stuck"], ["GET", "error"], ["GET", "error"], ["GET", "stuck"]],
    );
    t.sim.reset();
    assert.equal(t.sim.requests().length, 0);
  });
});

describe("questions to searches", () => {
  const cases: [string, string, string][] = [
    ["Traces", "slow database queries on /checkout in production last 7 days", "span.duration:>500ms span.op:db environment:production transaction:/checkout*"],
    ["Errors", "unhandled TypeError in release 2.4.1 on Chrome", "error.unhandled:true error.type:TypeError release:2.4.1 browser.name:Chrome"],
    ["Issues", "unassigned regressions with more than 100 events", "is:unresolved is:unassigned is:regressed timesSeen:>100"],
    ["Logs", "warning logs from service billing-api", "severity:warning service:billing-api"],
    ["Metrics", "memory by release", "metric.name:process.memory.usage"],
    ["Traces", "payment gateway", "payment gateway"],
  ];
  for (const [strategy, question, query] of cases) {
    test(`${strategy}: ${question}`, () => {
      const answer = answerQuestion(question, strategy);
      assert.equal(answer.kind, "query");
      assert.equal(answer.response.query, query);
    });
  }

  test("period, grouping, sort and chart", () => {
    const answer = answerQuestion("slow spans last 7 days by browser", "Traces");
    assert.deepEqual(answer.kind === "query" && answer.response, {
      query: "span.duration:>500ms",
      sort: "-span.duration",
      statsPeriod: "7d",
      start: null,
      end: null,
      groupBys: ["browser.name"],
      visualizations: [{ chartType: 1, yAxes: ["p95(span.duration)"] }],
    });
  });

  test("comparisons are unsupported", () => {
    assert.equal(answerQuestion("compare errors between release 1 and release 2", "Errors").kind, "unsupported");
  });
});
