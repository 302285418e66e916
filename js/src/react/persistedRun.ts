/**
 * The run under way, kept in `sessionStorage` so that a reloaded page resumes it instead of
 * asking again. Only the run's id and its question are stored, as JSON under the caller's key:
 * `{"runId": "<UUID, or the numeric id when there is no UUID>", "query": "<question>"}`.
 * Storage that throws (private mode, a full quota, a sandboxed frame) is ignored.
 */
import type { AskSeerState } from "ask-seer-polling";

/** What is stored for a run under way. */
export interface PersistedRun {
  readonly runId: string;
  readonly query: string;
}

/** The `sessionStorage` of this context, or `null` where there is none or it cannot be reached. */
function storage(): Storage | null {
  try {
    return "sessionStorage" in globalThis ? globalThis.sessionStorage : null;
  } catch {
    return null;
  }
}

function isPersistedRun(value: unknown): value is PersistedRun {
  if (typeof value !== "object" || value === null) return false;
  const { runId, query } = value as Record<string, unknown>;
  return typeof runId === "string" && runId !== "" && typeof query === "string";
}

/** The entry under one key: read once on mount, then kept in step with the poller's state. */
export class PersistedRunEntry {
  readonly #key: string;
  /** The JSON last written, `null` when the entry was removed: unchanged states write nothing. */
  #written: string | null | undefined = undefined;

  constructor(key: string) {
    this.#key = key;
  }

  /** The stored run, or `null`; an entry that is not one is removed. */
  read(): PersistedRun | null {
    try {
      const text = storage()?.getItem(this.#key) ?? null;
      if (text === null) return null;
      const value: unknown = JSON.parse(text);
      if (isPersistedRun(value)) return { runId: value.runId, query: value.query };
    } catch {
      // Unreadable storage or JSON: nothing to resume.
    }
    this.clear();
    return null;
  }

  /** Stores the run `state` shows under way, with its question, or removes the entry when none is. */
  follow(state: AskSeerState, query: string | null): void {
    const runId = state.runId?.sentryRunId ?? state.runId?.value;
    const text = state.isPending && runId !== undefined && query !== null ? JSON.stringify({ runId, query }) : null;
    if (text === this.#written) return;
    this.#written = text;
    try {
      if (text === null) storage()?.removeItem(this.#key);
      else storage()?.setItem(this.#key, text);
    } catch {
      // Storage that refuses is ignored: the hook works as without a key.
    }
  }

  /** Removes the entry. */
  clear(): void {
    this.#written = undefined;
    try {
      storage()?.removeItem(this.#key);
    } catch {
      // As in `follow`.
    }
  }
}
