/**
 * A simulated search-agent run: how it advances through its steps over time, and the
 * session the state endpoint reports for it at a given moment.
 */
import { answerQuestion, type SimAnswer } from "./queryBuilder.ts";
import type { ScenarioName } from "../src/scenarios.ts";

/** A step's key and when it begins, in ms after the run was created. */
interface TimedStep {
  key: string;
  at: number;
}

/** The agent's steps, in order. */
const STEPS: readonly TimedStep[] = [
  { key: "understanding_query", at: 600 },
  { key: "searching_attributes", at: 1400 },
  { key: "checking_values", at: 2300 },
  { key: "building_query", at: 3100 },
];

/** When the agent picks a UUID run up: before this, polls by UUID see a status-only session. */
const PICKUP_MS = 500;
/** When a run with a query finishes. */
const FINISH_MS = 3900;
/** The step count after which a failing run ends, and after which an unsupported question is recognised. */
const FAIL_AFTER_STEPS = 2;
const UNSUPPORTED_AFTER_STEPS = 1;
/** The step a stuck run stays in forever. */
const STUCK_STEP = "checking_values";

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
  /** Whether the agent had the run from the start (legacy and picked-up runs). */
  readonly pickedUpAtStart: boolean;
  readonly ending: RunEnding;
  /** State requests seen so far. */
  polls: number;
}

/** The session as the state endpoint sends it. */
export type SessionBody = Record<string, unknown>;

/** How `request` ends under `scenario`; `failedBefore` tells whether this question already failed once. */
export function endingFor(scenario: ScenarioName, request: RunRequest, failedBefore: boolean): RunEnding {
  if (scenario === "stuck") return { kind: "stuck" };
  if (scenario === "error" && !failedBefore) return { kind: "error" };
  if (scenario === "unsupported") {
    return { kind: "answer", answer: { kind: "unsupported", reason: "This question cannot be answered with a search yet." } };
  }
  return { kind: "answer", answer: answerQuestion(request.question, request.strategy) };
}

/** When the run stops changing, in ms after creation; `null` for a stuck run. */
function endAt(ending: RunEnding): number | null {
  const stepAt = (index: number): number => STEPS[index]?.at ?? FINISH_MS;
  switch (ending.kind) {
    case "stuck":
      return null;
    case "error":
      return stepAt(FAIL_AFTER_STEPS);
    case "answer":
      return ending.answer.kind === "unsupported" ? stepAt(UNSUPPORTED_AFTER_STEPS) : FINISH_MS;
  }
}

/** Whether polls by UUID still see a status-only session. */
export function awaitingPickup(run: SimRun, now: number): boolean {
  return !run.pickedUpAtStart && now - run.createdAt < PICKUP_MS;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The session of `run` at time `now` (ms since the epoch). */
export function sessionAt(run: SimRun, now: number): SessionBody {
  const elapsed = now - run.createdAt;
  const finishedAt = endAt(run.ending);
  const done = finishedAt !== null && elapsed >= finishedAt;
  let started = STEPS.filter((step) => (done ? step.at < finishedAt : step.at <= elapsed));
  if (run.ending.kind === "stuck") {
    const stuckIndex = STEPS.findIndex((step) => step.key === STUCK_STEP);
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
    final_query: answer?.kind === "query" ? answer.response.query : null,
    final_response: answer?.kind === "query" ? answer.response : null,
    unsupported_reason: answer?.kind === "unsupported" ? answer.reason : null,
  };
}
