/** What the three clients share: the run's parameters, what a run reports, and the start request. */
import type { FetchLike, Session } from "ask-seer-polling";

export const ORG_SLUG = "acme";
export const PROJECT_IDS = [1];
export const STRATEGY = "Traces";
export const QUERY = "slow spans in checkout today";
const BASE = `/api/0/organizations/${ORG_SLUG}/search-agent`;

/** How a client is set to poll. */
export interface RunOptions {
  readonly fetch: FetchLike;
  /** Wait after each answer; 0 polls on the next macrotask. */
  readonly intervalMs: number;
}

/** A run under way. */
export interface PollingRun {
  /** Resolves when the client's state shows the run completed; rejects if it ended otherwise. */
  readonly finished: Promise<void>;
  readonly seen: StateCounter;
  /** Stops polling and drops the client. */
  dispose(): void;
}

/** Counts listener calls and the distinct server states they carried. */
export class StateCounter {
  calls = 0;
  stateCalls = 0;
  readonly #states = new Set<string>();

  /** One listener call, with the session the client shows then, if any. */
  saw(session: Session | null | undefined): void {
    this.calls += 1;
    if (session == null) return;
    this.stateCalls += 1;
    this.#states.add(`${session.status} ${session.updated_at ?? ""} ${session.current_step?.key ?? ""}`);
  }

  get distinctStates(): number {
    return this.#states.size;
  }
}

/** Sentry's rule: poll again while the run is processing or a step is running. */
export function keepPolling(session: Pick<Session, "status" | "current_step"> | null | undefined): boolean {
  return session != null && (session.status === "processing" || session.current_step != null);
}

/** A state answer as the JavaScript clients read it. */
export interface StateBody {
  readonly session: Session | null;
  readonly sentry_run_id?: string;
}

const JSON_HEADERS = { "Content-Type": "application/json" };

/** Sends the start request and returns the run's id. */
export async function startRun(fetch: FetchLike): Promise<string> {
  const body = JSON.stringify({ natural_language_query: QUERY, project_ids: PROJECT_IDS, strategy: STRATEGY });
  const response = await fetch(`${BASE}/start/`, { method: "POST", headers: JSON_HEADERS, body });
  const parsed = JSON.parse(await response.text()) as { sentry_run_id?: unknown };
  if (typeof parsed.sentry_run_id !== "string") throw new Error("the start answer has no sentry_run_id");
  return parsed.sentry_run_id;
}

/** Reads the run's state once. */
export async function getState(fetch: FetchLike, runId: string, signal: AbortSignal): Promise<StateBody> {
  const response = await fetch(`${BASE}/state/${runId}/`, { method: "GET", signal });
  if (!response.ok) throw new Error(`state request failed with ${String(response.status)}`);
  const parsed = JSON.parse(await response.text()) as StateBody | null;
  if (parsed === null || typeof parsed !== "object" || typeof parsed.session !== "object") {
    throw new Error("not a state answer");
  }
  return parsed;
}
