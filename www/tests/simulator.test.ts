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

const keys = (value: unknown): string[] => Object.keys(value as Record<string, unknown>).sort();
const finalResponseOf = (name: string): Record<string, unknown> =>
  sessionOf(fixture(name)).final_response as Record<string, unknown>;
/** The fields of today's `final_response`, of one candidate in its `responses`, and of an older server's single answer, as the fixtures have them. */
const ANSWER_FIELDS = keys(finalResponseOf("state-completed.json"));
const QUERY_FIELDS = keys((finalResponseOf("state-completed.json").responses as unknown[])[0]);
const LEGACY_FIELDS = keys(finalResponseOf("state-completed-single-legacy.json"));
const stepKeys = (session: Record<string, unknown>): unknown[] =>
  (session.completed_steps as { key: string }[]).map((step) => step.key);

describe("simulated search agent", () => {
  test("UUID run: status-only before pick-up, then the agent's tools with a repeat, then candidates in today's shape", () => {
    const t = simulator();
    const started = t.start("uuid");
    assert.equal(started.status, 200);
    assert.equal(started.body.run_id, null);
    const uuid = started.body.sentry_run_id as string;
    assert.deepEqual(t.state(uuid).body, fixture("state-pending.json"));
    t.advance(700);
    const early = t.state(uuid).body;
    assert.equal(early.sentry_run_id, uuid);
    assert.deepEqual(sessionOf(early).current_step, { key: "get_field_values" });
    const numeric = sessionOf(early).run_id as number;
    t.advance(700);
    const repeat = sessionOf(t.state(numeric).body);
    assert.deepEqual(stepKeys(repeat), ["get_field_values"]);
    assert.deepEqual(repeat.current_step, { key: "get_field_values" }, "the agent looks values up again");
    assert.deepEqual(keys(repeat), keys(sessionOf(fixture("state-processing.json"))).concat("final_query", "final_response", "unsupported_reason").sort());
    assert.notEqual(repeat.updated_at, sessionOf(early).updated_at);
    t.advance(1000);
    assert.deepEqual(sessionOf(t.state(uuid).body).current_step, { key: "execute_query" });
    t.advance(1000);
    assert.deepEqual(sessionOf(t.state(uuid).body).current_step, { key: "finalize_queries" });
    t.advance(1000);
    const doneBody = t.state(uuid).body;
    assert.deepEqual(keys(doneBody), keys(fixture("state-completed.json")));
    const done = sessionOf(doneBody);
    assert.deepEqual(keys(done), keys(sessionOf(fixture("state-completed.json"))));
    assert.equal(done.status, "completed");
    assert.equal(done.current_step, null);
    assert.deepEqual(stepKeys(done), stepKeys(sessionOf(fixture("state-completed.json"))));
    assert.equal(done.final_query, "span.duration:>500ms transaction:*checkout*");
    assert.equal(done.unsupported_reason, null);
    const answer = done.final_response as Record<string, unknown>;
    assert.deepEqual(keys(answer), ANSWER_FIELDS);
    assert.equal(answer.run_id, numeric);
    assert.deepEqual(answer.project_ids, [1, 2], "all projects come back as the projects looked at");
    const responses = answer.responses as Record<string, unknown>[];
    assert.equal(responses.length, 2);
    for (const response of responses) {
      assert.deepEqual(keys(response), QUERY_FIELDS);
      assert.equal(typeof response.result_count, "number");
    }
    assert.equal(responses[0]?.query, done.final_query, "the best candidate comes first");
  });

  test("candidates: grouped questions add their samples; 'today' gives an absolute range; Metrics looks for metrics first", () => {
    const t = simulator();
    const grouped = t.start("picked-up", JSON.stringify({ natural_language_query: "slow checkout spans today by browser", project_ids: [3], strategy: "Traces" }));
    const metrics = t.start("picked-up", JSON.stringify({ natural_language_query: "cpu in production", project_ids: [3], strategy: "Metrics" }));
    t.advance(700);
    assert.deepEqual(sessionOf(t.state(metrics.body.run_id as number).body).current_step, { key: "get_metric_candidates" });
    t.advance(4000);
    const answer = sessionOf(t.state(grouped.body.sentry_run_id as string).body).final_response as Record<string, unknown>;
    assert.deepEqual(answer.project_ids, [3]);
    const [best, broader, samples] = answer.responses as (Record<string, unknown> | undefined)[];
    assert.ok(best && broader && samples);
    assert.deepEqual(
      [best.mode, best.group_by, best.stats_period, best.start],
      ["aggregates", ["browser.name"], "24h", null],
    );
    assert.equal(broader.query, "span.duration:>500ms");
    assert.equal(broader.stats_period, "", "an absolute range leaves stats_period empty");
    assert.match(String(broader.start), /^\d{4}-\d\d-\d\dT00:00:00$/);
    assert.match(String(broader.end), /^\d{4}-\d\d-\d\dT\d\d:00:00$/);
    assert.deepEqual([samples.mode, samples.group_by, samples.query], ["samples", [], best.query]);
    assert.deepEqual(stepKeys(sessionOf(t.state(metrics.body.run_id as number).body)).slice(0, 2), ["get_metric_candidates", "get_field_values"]);
  });

  test("legacy server: numeric id only, no sentry_run_id in state bodies, one camelCase answer", () => {
    const t = simulator();
    const started = t.start("legacy-server");
    assert.deepEqual(Object.keys(started.body), ["run_id"]);
    const id = started.body.run_id as number;
    const state = t.state(id);
    assert.equal(state.status, 200);
    assert.equal(state.body.sentry_run_id, undefined);
    assert.equal(sessionOf(state.body).status, "processing");
    t.advance(4000);
    const done = t.state(id).body;
    assert.equal(done.sentry_run_id, undefined);
    const answer = sessionOf(done).final_response as Record<string, unknown>;
    assert.deepEqual(keys(answer), LEGACY_FIELDS);
    assert.equal(answer.query, sessionOf(done).final_query);
    assert.deepEqual(answer.visualizations, [{ chartType: 1, yAxes: ["p95(span.duration)"] }]);
  });

  test("unsupported: empty responses and the reason, after get_field_values and mark_unsupported", () => {
    const t = simulator();
    const uuid = t.start("unsupported").body.sentry_run_id as string;
    t.advance(1500);
    assert.deepEqual(sessionOf(t.state(uuid).body).current_step, { key: "mark_unsupported" });
    t.advance(1000);
    const done = sessionOf(t.state(uuid).body);
    assert.equal(done.status, "completed");
    assert.deepEqual(stepKeys(done), ["get_field_values", "mark_unsupported"]);
    assert.equal(done.final_query, null);
    const answer = done.final_response as Record<string, unknown>;
    assert.deepEqual(keys(answer), keys(finalResponseOf("state-unsupported.json")));
    assert.deepEqual(stepKeys(done), stepKeys(sessionOf(fixture("state-unsupported.json"))));
    assert.deepEqual(answer.responses, []);
    assert.equal(typeof answer.unsupported_reason, "string");
    assert.equal(done.unsupported_reason, answer.unsupported_reason);
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

  test("faults on given polls: 503/502 HTML, 429 with Retry-After, truncated JSON, a dropped body", () => {
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
    const dropped = t.start("dropped-body").body.sentry_run_id as string;
    const cuts = Array.from(
      { length: 4 },
      () => t.sim.handle({ method: "GET", path: `${BASE}/state/${dropped}/`, scenario: undefined, body: "" }).dropAfterBytes,
    );
    assert.deepEqual(cuts, [undefined, 24, 24, undefined]);
  });

  test("error runs fail once per question; stuck runs stop moving; logs record scenarios and ends", () => {
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
    assert.deepEqual(frozen.current_step, { key: "execute_query" });
    assert.equal(frozen.updated_at, stuckAt);
    const log = t.sim.requests();
    assert.deepEqual(
      log.map((request) => [request.method, request.scenario]),
      [["POST", "error"], ["POST", "error"], ["POST", "stuck"], ["GET", "stuck"], ["GET", "error"], ["GET", "error"], ["GET", "stuck"]],
    );
    assert.equal(log.at(0)?.endedAt, null);
    t.advance(5);
    t.sim.ended(1);
    t.sim.ended(1);
    assert.equal(log.at(0)?.endedAt, (log.at(6)?.at ?? 0) + 5, "the first end counts");
    t.sim.reset();
    assert.equal(t.sim.requests().length, 0);
  });

  test("a restart forgets the runs but keeps the log; a state delay holds state answers back", () => {
    const t = simulator();
    const uuid = t.start("uuid").body.sentry_run_id as string;
    t.sim.setStateDelay(3000);
    assert.equal(t.sim.handle({ method: "GET", path: `${BASE}/state/${uuid}/`, scenario: undefined, body: "" }).delayMs, 3000);
    assert.equal(t.sim.handle({ method: "POST", path: `${BASE}/start/`, scenario: undefined, body: START_BODY }).delayMs, 0);
    t.sim.restart();
    assert.deepEqual(t.state(uuid), { status: 404, body: { session: null }, headers: { "content-type": "application/json" } });
    assert.equal(t.sim.requests().length, 4);
    t.sim.reset();
    assert.equal(t.sim.handle({ method: "GET", path: `${BASE}/state/${uuid}/`, scenario: undefined, body: "" }).delayMs, 0);
  });
});

describe("questions to searches", () => {
  const NOW = Date.UTC(2026, 4, 11, 10, 30);
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
      const answer = answerQuestion(question, strategy, NOW);
      assert.equal(answer.kind, "query");
      assert.equal(answer.queries[0]?.query, query);
    });
  }

  test("period, grouping, sort, chart and count of the best candidate", () => {
    const answer = answerQuestion("slow spans last 7 days by browser", "Traces", NOW);
    assert.equal(answer.kind, "query");
    const [best] = answer.queries;
    assert.ok(best);
    assert.deepEqual({ ...best, result_count: null }, {
      query: "span.duration:>500ms",
      group_by: ["browser.name"],
      visualization: [{ chart_type: 1, y_axes: ["p95(span.duration)"], interval: null }],
      sort: "-span.duration",
      stats_period: "7d",
      start: null,
      end: null,
      mode: "aggregates",
      result_count: null,
      span_query: null,
      log_query: null,
      metric_query: null,
    });
    assert.ok(Number.isInteger(best.result_count) && (best.result_count ?? 0) > 0);
    assert.equal(answerQuestion("slow spans last 7 days by browser", "Traces", NOW + 1000).kind === "query" && best.result_count, best.result_count);
  });

  test("one filter gives one candidate; 'today' ranges from midnight to the hour", () => {
    const single = answerQuestion("slow spans", "Traces", NOW);
    assert.equal(single.kind === "query" && single.queries.length, 1);
    const today = answerQuestion("slow checkout spans today", "Traces", NOW);
    assert.ok(today.kind === "query");
    assert.deepEqual(
      today.queries.map((q) => [q.query, q.stats_period, q.start, q.end]),
      [
        ["span.duration:>500ms transaction:*checkout*", "24h", null, null],
        ["span.duration:>500ms", "", "2026-05-11T00:00:00", "2026-05-11T10:00:00"],
      ],
    );
  });

  test("comparisons are unsupported", () => {
    assert.equal(answerQuestion("compare errors between release 1 and release 2", "Errors", NOW).kind, "unsupported");
  });
});
