/** The page's words for steps, pauses, retries and candidate queries. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AskSeerErrorInfo, AskSeerQuery } from "ask-seer-polling";
import { describeRetry, statusLabel, stepLabel } from "../src/labels.ts";
import { factsOf } from "../src/queryFacts.ts";
import { stepLines } from "../src/steps.ts";

const failure = (kind: AskSeerErrorInfo["kind"]): AskSeerErrorInfo => ({ kind, message: "m", status: null, detail: null });

const QUERY: AskSeerQuery = {
  query: "span.duration:>500ms",
  groupBys: [],
  visualizations: [],
  sort: null,
  statsPeriod: null,
  start: null,
  end: null,
  mode: null,
  resultCount: null,
  spanQuery: null,
  logQuery: null,
  metricQuery: null,
};

describe("steps", () => {
  test("each known key says what the agent does; an unknown key shows by its words", () => {
    assert.equal(stepLabel("get_field_values"), "Looking up your attributes and their values");
    assert.equal(stepLabel("mark_unsupported"), "Deciding this can't be a search");
    assert.equal(stepLabel("some_new_tool"), "Some new tool");
  });

  test("a repeated key adds a run to its line, in the order keys first came", () => {
    const step = (key: string) => ({ key });
    assert.deepEqual(stepLines([step("get_field_values"), step("get_field_values"), step("execute_query")], step("get_field_values")), [
      { key: "get_field_values", runs: 3, running: true },
      { key: "execute_query", runs: 1, running: false },
    ]);
    assert.deepEqual(stepLines([], null), []);
  });
});

describe("pauses and retries", () => {
  test("a paused run says why; other phases keep their label", () => {
    assert.equal(statusLabel("paused", "offline"), "Paused while offline");
    assert.equal(statusLabel("paused", "hidden"), "Paused while hidden");
    assert.equal(statusLabel("gone", null), "No longer known");
  });

  test("a request timeout reads as slow, a network failure as unreachable, anything else as the server", () => {
    assert.equal(describeRetry(failure("request_timeout")).cause, "slow");
    assert.equal(describeRetry(failure("network")).cause, "unreachable");
    assert.equal(describeRetry(failure("http")).cause, "server");
    assert.equal(describeRetry(failure("decode")).cause, "server");
  });
});

describe("facts of a candidate query", () => {
  test("a relative period, every field, and charts with their type and interval", () => {
    const facts = factsOf({
      ...QUERY,
      groupBys: ["transaction", "browser.name"],
      visualizations: [
        { chartType: 1, yAxes: ["p95(span.duration)"], interval: "1h" },
        { chartType: 7, yAxes: ["count()"], interval: null },
      ],
      sort: "-span.duration",
      statsPeriod: "24h",
      mode: "aggregates",
      resultCount: 12345,
      spanQuery: "span.op:db",
    });
    assert.deepEqual(facts, [
      ["Period", "last 24h"],
      ["Sort", "-span.duration"],
      ["Group by", "transaction, browser.name"],
      ["Charts", "p95(span.duration) as line every 1h; count() as chart 7"],
      ["Mode", "aggregates"],
      ["Results", "12,345"],
      ["Spans", "span.op:db"],
    ]);
  });

  test("an empty stats period gives way to start and end; an uncounted query says so", () => {
    const facts = factsOf({ ...QUERY, statsPeriod: "", start: "2026-05-11T00:00:00", end: "2026-05-11T10:00:00" });
    assert.deepEqual(facts, [
      ["Period", "2026-05-11T00:00:00 – 2026-05-11T10:00:00"],
      ["Results", "not counted"],
    ]);
  });
});
