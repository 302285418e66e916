/**
 * Server bodies: the start answer and state answers shaped like `tests/fixtures/state-completed.json`.
 */
import start from "../../../tests/fixtures/start-uuid.json";
import completed from "../../../tests/fixtures/state-completed.json";

/** The id every run is polled by. */
export const RUN_ID = start.sentry_run_id;
/** The start endpoint's answer. */
export const START_BODY = JSON.stringify(start);

/** The agent's steps, in order. */
const STEPS = [
  "understanding_query",
  "searching_attributes",
  "building_query",
  "validating_query",
  "running_query",
  "summarizing_results",
].map((key) => ({ key }));

function body(session: Record<string, unknown>): string {
  return JSON.stringify({ ...completed, session: { ...completed.session, ...session } });
}

function updatedAt(second: number): string {
  return `2026-05-11T10:00:${String(second).padStart(2, "0")}.000000Z`;
}

/** The finished run: all six steps done. */
export const COMPLETED_BODY = body({ completed_steps: STEPS, updated_at: updatedAt(STEPS.length) });

/** A run still going: `done` steps finished and the next one running; the answer fields not yet filled in. */
export function processingBody(done: number): string {
  return body({
    status: "processing",
    completed_steps: STEPS.slice(0, done),
    current_step: STEPS[done] ?? null,
    updated_at: updatedAt(done),
    final_query: null,
    final_response: null,
  });
}

/** The completed fixture with status `processing` and its last step running: every field a finished run has. */
export const BUSY_BODY = body({
  status: "processing",
  completed_steps: STEPS.slice(0, -1),
  current_step: STEPS.at(-1) ?? null,
});
