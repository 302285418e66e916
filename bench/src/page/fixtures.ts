/**
 * Server bodies: the start answer and state answers shaped like `tests/fixtures/state-completed.json`
 * (a processing one has the fields of `tests/fixtures/state-processing.json`).
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

const CREATED_AT_MS = Date.UTC(2026, 4, 11, 10);

/** `ms` after the run was created, in the server's microsecond form. */
function updatedAt(ms: number): string {
  return new Date(CREATED_AT_MS + ms).toISOString().replace("Z", "000Z");
}

/** The finished run: all six steps done. */
export const COMPLETED_BODY = body({ completed_steps: STEPS, updated_at: updatedAt(STEPS.length * 1000) });

/**
 * A run still going: `done` steps finished and the next one running; the answer fields not yet filled in.
 * Updated `updatedMs` after creation (by default one second per step).
 */
export function processingBody(done: number, updatedMs = done * 1000): string {
  return body({
    status: "processing",
    completed_steps: STEPS.slice(0, done),
    current_step: STEPS[done] ?? null,
    updated_at: updatedAt(updatedMs),
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

/** The `n`-th answer of a run whose every answer is new: 250 ms later each time, one step further (round the six steps). */
export function advancingBody(n: number): string {
  return processingBody(n % STEPS.length, n * 250);
}
