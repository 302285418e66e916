/** What the scale and soak runs of the bench page take and answer. */

/** A scale run: `n` search components mounted at once, each asking its own question. */
export interface ScaleOptions {
  readonly n: number;
  /** The pollers' `pollIntervalMs`. */
  readonly pollIntervalMs: number;
  /** How long to keep watching for requests once every run has ended. */
  readonly settleMs: number;
  /** Gives up on runs that have not ended by then. */
  readonly timeoutMs: number;
}

/** One search component's run, as the page saw it. */
export interface SearchSample {
  /** The phase it ended in (`completed` when all went well). */
  readonly phase: string;
  /** Requests its poller sent, the start request included. */
  readonly requests: number;
  /** The most of its requests in flight at once. */
  readonly maxInFlight: number;
  /** Requests it sent after it showed the run as ended. */
  readonly requestsAfterEnd: number;
  /** When it first rendered the run as ended, in ms since the epoch. */
  readonly shownAt: number | null;
  /** The ended session's `updated_at`: when the agent finished, on the agent's clock. */
  readonly updatedAt: string | null;
}

/** Questions asked one after another by one search component. */
export interface SoakSample {
  readonly questions: number;
  /** Runs that ended `completed`. */
  readonly completed: number;
  /** Requests sent, start requests included. */
  readonly requests: number;
  /** The most requests in flight at once. */
  readonly maxInFlight: number;
}
