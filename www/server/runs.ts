/**
 * A simulated search-agent run: the tools the agent calls over time, and the session the state
 * endpoint reports for it at a given moment, in today's shape or an older server's.
 */
import { answerQuestion, type SimAnswer, type SimQuery } from "./queryBuilder.ts";
import type { ScenarioName } from "../src/scenarios.ts";

/** A step's key and when it begins, in ms after the run was created. */
interface TimedStep {
  key: string;
  at: number;
}

/** When the agent picks a UUID run up: before this, polls by UUID see a status-only session. */
const PICKUP_MS = 500;
/** When a run with a query finishes. */
const FINISH_MS = 3900;
/** When an unsupported question is given up on. */
const UNSUPPORTED_FINISH_MS = 2000;
/** The step count after which a failing run ends. */
const FAIL_AFTER_STEPS = 2;
/** The step a stuck run stays in forever. */
const STUCK_STEP = "execute_query";

/** How the run ends. */
export type RunEnding = { kind: "answer"; answer: SimAnswer } | { kind: "error" } | { kind: "stuck" };

/** What the start request asked. */
export interface RunRequest {
  orgSlug: string;
  question: string;
  strategy: string;
  projectIds: number[];
}

/** One run the simulator knows. */
export interface SimRun {
  readonly uuid: string;
  readonly numericId: number;
  readonly scenario: ScenarioName;
  readonly request: RunRequest;
  readonly createdAt: number;
  /** Whether the agent had the run from the start (numeric-id and picked-up runs). */
  readonly pickedUpAtStart: boolean;
  readonly ending: RunEnding;
  /** State requests seen so far. */
  polls: number;
}

/** The session as the state endpoint sends it. */
export type SessionBody = Record<string, unknown>;

/** How `request` ends under `scenario` when asked at `now`; `failedBefore` tells whether this question already failed once. */
export function endingFor(scenario: ScenarioName, request: RunRequest, failedBefore: boolean, now: number): RunEnding {
  if (scenario === "stuck") return { kind: "stuck" };
  if (scenario === "error" && !failedBefore) return { kind: "error" };
  if (scenario === "unsupported") {
    return { kind: "answer", answer: { kind: "unsupported", reason: "This question cannot be answered with a search yet." } };
  }
  return { kind: "answer", answer: answerQuestion(request.question, request.strategy, now) };
}

/**
 * The tools the agent calls for `request`, in order: it looks up attribute values (twice, as it
 * refines them), or metrics first for the Metrics dataset, runs the candidates, then ranks them;
 * an unsupported question is marked so after the first look-up.
 */
function stepsFor(request: RunRequest, ending: RunEnding): readonly TimedStep[] {
  if (ending.kind === "answer" && ending.answer.kind === "unsupported") {
    return [
      { key: "get_field_values", at: 600 },
      { key: "mark_unsupported", at: 1400 },
    ];
  }
  return [
    { key: request.strategy === "Metrics" ? "get_metric_candidates" : "get_field_values", at: 600 },
    { key: "get_field_values", at: 1300 },
    { key: "execute_query", at: 2100 },
    { key: "finalize_queries", at: 3100 },
  ];
}

/** When the run stops changing, in ms after creation; `null` for a stuck run. */
function endAt(steps: readonly TimedStep[], ending: RunEnding): number | null {
  switch (ending.kind) {
    case "stuck":
      return null;
    case "error":
      return steps[FAIL_AFTER_STEPS]?.at ?? FINISH_MS;
    case "answer":
      return ending.answer.kind === "unsupported" ? UNSUPPORTED_FINISH_MS : FINISH_MS;
  }
}

/** Whether polls by UUID still see a status-only session. */
export function awaitingPickup(run: SimRun, now: number): boolean {
  return !run.pickedUpAtStart && now - run.createdAt < PICKUP_MS;
}

/** An older server's `final_response`: the best candidate alone, in the frontend's camelCase. */
function legacyResponse(best: SimQuery): Record<string, unknown> {
  return {
    query: best.query,
    sort: best.sort,
    statsPeriod: best.stats_period,
    start: best.start,
    end: best.end,
    groupBys: best.group_by,
    mode: best.mode,
    visualizations: best.visualization.map((chart) => ({ chartType: chart.chart_type, yAxes: chart.y_axes })),
  };
}

/** The `final_response` of a finished run: today's `{responses, ...}`, or an older server's single object. */
function finalResponse(run: SimRun, answer: SimAnswer): Record<string, unknown> | null {
  const queries = answer.kind === "query" ? answer.queries : [];
  if (run.scenario === "legacy-server") {
    const best = queries[0];
    return best === undefined ? null : legacyResponse(best);
  }
  const everything = run.request.projectIds.includes(-1);
  return {
    responses: queries,
    unsupported_reason: answer.kind === "unsupported" ? answer.reason : null,
    run_id: run.numericId,
    // "All projects" comes back as the projects the agent looked at.
    project_ids: answer.kind === "unsupported" ? null : everything ? [1, 2] : run.request.projectIds,
    reflection: null,
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The session of `run` at time `now` (ms since the epoch). */
export function sessionAt(run: SimRun, now: number): SessionBody {
  const steps = stepsFor(run.request, run.ending);
  const elapsed = now - run.createdAt;
  const finishedAt = endAt(steps, run.ending);
  const done = finishedAt !== null && elapsed >= finishedAt;
  let started = steps.filter((step) => (done ? step.at < finishedAt : step.at <= elapsed));
  if (run.ending.kind === "stuck") {
    const stuckIndex = steps.findIndex((step) => step.key === STUCK_STEP);
    started = started.slice(0, stuckIndex + 1);
  }
  const current = done ? null : (started.at(-1) ?? null);
  const completed = done ? started : started.slice(0, -1);
  const lastChange = done ? finishedAt : (current?.at ?? 0);
  const answer = run.ending.kind === "answer" && done ? run.ending.answer : null;
  return {
    run_id: run.numericId,
    org_id: 1,
    org_slug: run.request.orgSlug,
    status: done ? (run.ending.kind === "error" ? "error" : "completed") : "processing",
    strategy: run.request.strategy,
    natural_language_query: run.request.question,
    created_at: iso(run.createdAt),
    updated_at: iso(run.createdAt + lastChange),
    completed_steps: completed.map(({ key }) => ({ key })),
    current_step: current === null ? null : { key: current.key },
    final_query: answer?.kind === "query" ? (answer.queries[0]?.query ?? null) : null,
    final_response: answer === null ? null : finalResponse(run, answer),
    unsupported_reason: answer?.kind === "unsupported" ? answer.reason : null,
  };
}
