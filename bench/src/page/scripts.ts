/** The simulated server's answers for each measurement. */
import { NOTIFY_POLLS, NOTIFY_STATES, type PollBody } from "../shared/api";
import { advancingBody, BUSY_BODY, COMPLETED_BODY, processingBody } from "./fixtures";
import type { ServerScript } from "./fakeServer";

/**
 * A processing body until poll `polls`, then the completed one: `identical`, the full processing body
 * every time; `changing`, a new one each poll (`updated_at` later, one step further).
 */
export function busyUntil(polls: number, kind: PollBody): ServerScript {
  const busy = kind === "identical" ? (): string => BUSY_BODY : advancingBody;
  return { stateBody: (n) => (n >= polls ? COMPLETED_BODY : busy(n)) };
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
