/**
 * Records the requests a poller sends, through the `fetch` it is given, and the phases it
 * goes through, for the request timeline. Each start request begins a new timeline.
 */
import type { AskSeerError, AskSeerPhase, FetchLike } from "ask-seer-polling";

/**
 * How a request went: `ok` (2xx with a JSON body), `retrying` (it failed and the poller carried
 * on), `failed` (it ended the run), `aborted` (reset, unmount or request timeout), or `pending`.
 */
export type RequestOutcome = "pending" | "ok" | "retrying" | "failed" | "aborted";

/** One request. Times are in ms since the timeline's origin. */
export interface RecordedRequest {
  readonly id: number;
  readonly kind: "start" | "state";
  readonly method: string;
  readonly url: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly status: number | null;
  readonly outcome: RequestOutcome;
}

/** The poller entered `phase` at `at`. */
export interface PhaseMark {
  readonly phase: AskSeerPhase;
  readonly at: number;
}

/** Everything the timeline draws. `origin` is on `performance.now()`'s clock. */
export interface Timeline {
  readonly origin: number;
  readonly requests: readonly RecordedRequest[];
  readonly phases: readonly PhaseMark[];
}

/** Error kinds that a request caused, as opposed to the client giving up on a run that stopped progressing. */
const REQUEST_FAILURES = new Set<AskSeerError["kind"]>(["http", "network", "request_timeout", "decode", "missing_run_id", "invalid_run_id"]);

interface Entry {
  request: RecordedRequest;
  /** The poller ended the run because of this request. */
  fatal: boolean;
}

async function hasJsonBody(response: Response): Promise<boolean> {
  try {
    JSON.parse(await response.text());
    return true;
  } catch {
    return false;
  }
}

/** Wraps `fetch` for a poller. */
export class RequestRecorder {
  #timeline: Timeline = { origin: 0, requests: [], phases: [] };
  #entries: Entry[] = [];
  #nextId = 1;
  readonly #listeners = new Set<() => void>();
  #extraHeaders: Readonly<Record<string, string>>;

  /** `extraHeaders` are added to every request. */
  constructor(extraHeaders: Readonly<Record<string, string>> = {}) {
    this.#extraHeaders = extraHeaders;
  }

  /** Headers added to every later request. */
  setExtraHeaders(headers: Readonly<Record<string, string>>): void {
    this.#extraHeaders = headers;
  }

  /** The `fetch` to give the poller. */
  readonly fetch: FetchLike = async (input, init) => {
    const kind = init.method === "POST" ? "start" : "state";
    if (kind === "start") this.#begin();
    const entry: Entry = {
      request: {
        id: this.#nextId++,
        kind,
        method: init.method ?? "GET",
        url: input,
        startedAt: this.#now(),
        endedAt: null,
        status: null,
        outcome: "pending",
      },
      fatal: false,
    };
    this.#entries.push(entry);
    this.#publish();
    const headers = new Headers(init.headers);
    for (const [name, value] of Object.entries(this.#extraHeaders)) headers.set(name, value);
    const unsuccessful = (): RequestOutcome => (init.signal?.aborted ? "aborted" : "retrying");
    try {
      const response = await fetch(input, { ...init, headers });
      void hasJsonBody(response.clone()).then((json) => {
        this.#settle(entry, response.status, response.ok && json ? "ok" : unsuccessful());
      });
      return response;
    } catch (error) {
      this.#settle(entry, null, unsuccessful());
      throw error;
    }
  };

  /** The poller ended its run with `error`: the request that caused it, if any, failed. */
  readonly markFailed = (error: AskSeerError): void => {
    const last = this.#entries.at(-1);
    if (!last || !REQUEST_FAILURES.has(error.kind) || last.request.outcome === "aborted") return;
    last.fatal = true;
    if (last.request.outcome !== "pending") this.#update(last, { outcome: "failed" });
  };

  /** The poller's phase is now `phase`. */
  notePhase(phase: AskSeerPhase): void {
    const last = this.#timeline.phases.at(-1);
    if (last?.phase === phase || (last === undefined && this.#entries.length === 0)) return;
    this.#timeline = { ...this.#timeline, phases: [...this.#timeline.phases, { phase, at: this.#now() }] };
    this.#publish();
  }

  /** Milliseconds since the timeline's origin. */
  elapsed(): number {
    return this.#now();
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** For `useSyncExternalStore`. */
  readonly getSnapshot = (): Timeline => this.#timeline;

  #now(): number {
    return performance.now() - this.#timeline.origin;
  }

  #begin(): void {
    this.#entries = [];
    this.#timeline = { origin: performance.now(), requests: [], phases: [{ phase: "starting", at: 0 }] };
  }

  #settle(entry: Entry, status: number | null, outcome: RequestOutcome): void {
    this.#update(entry, { status, endedAt: this.#now(), outcome: entry.fatal && outcome !== "aborted" ? "failed" : outcome });
  }

  #update(entry: Entry, change: Partial<RecordedRequest>): void {
    entry.request = { ...entry.request, ...change };
    this.#publish();
  }

  #publish(): void {
    this.#timeline = { ...this.#timeline, requests: this.#entries.map((entry) => entry.request) };
    for (const listener of this.#listeners) listener();
  }
}
