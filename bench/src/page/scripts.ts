/** The simulated server's answers for each measurement. */
import { NOTIFY_POLLS, NOTIFY_STATES } from "../shared/api";
import { BUSY_BODY, COMPLETED_BODY, processingBody } from "./fixtures";
import type { ServerScript } from "./fakeServer";

/** The full processing body every time, and the completed one at poll `polls`. */
export function busyUntil(polls: number): ServerScript {
  return { stateBody: (n) => (n >= polls ? COMPLETED_BODY : BUSY_BODY) };
}

const PROCESSING_STATES = NOTIFY_STATES - 1;
const POLLS_PER_STATE = Math.ceil((NOTIFY_POLLS - 1) / PROCESSING_STATES);

/** `NOTIFY_POLLS` polls through `NOTIFY_STATES` distinct states: one step more every few polls, completed at the last. */
export const stepping: ServerScript = {
  stateBody: (n) => (n >= NOTIFY_POLLS ? COMPLETED_BODY : processingBody(Math.floor((n - 1) / POLLS_PER_STATE))),
};

/** A run that finishes `runMs` after `startedAt()`, one step more every fifth of it, answered after `latencyMs`. */
export function timed(startedAt: () => number, runMs: number, latencyMs: number): ServerScript {
  return {
    latencyMs,
    stateBody: () => {
      const elapsed = performance.now() - startedAt();
      return elapsed >= runMs ? COMPLETED_BODY : processingBody(Math.floor((elapsed * PROCESSING_STATES) / runMs));
    },
  };
}
