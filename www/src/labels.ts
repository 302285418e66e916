/** Words for what the poller reports: step keys, phases and errors, as a person reads them. */
import type { AskSeerErrorInfo, AskSeerPauseReason, AskSeerPhase } from "ask-seer-polling";

/** What the agent does in each step it reports. */
const STEP_LABELS: Readonly<Record<string, string>> = {
  get_field_values: "Looking up your attributes and their values",
  get_metric_candidates: "Looking for metrics that match",
  execute_query: "Running a query to check it finds results",
  finalize_queries: "Checking and ranking the queries",
  mark_unsupported: "Deciding this can't be a search",
};

/** A step key such as `get_field_values` as a label; unknown keys are shown by their words. */
export function stepLabel(key: string): string {
  const known = STEP_LABELS[key];
  if (known !== undefined) return known;
  const words = key.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const PHASE_LABELS: Readonly<Record<AskSeerPhase, string>> = {
  idle: "Idle",
  starting: "Starting",
  polling: "Working",
  backoff: "Retrying",
  paused: "Paused",
  completed: "Done",
  error: "Failed",
  timed_out: "Timed out",
  gone: "No longer known",
};

/** A phase as a short label. */
export function phaseLabel(phase: AskSeerPhase): string {
  return PHASE_LABELS[phase];
}

/** The phase with why it is paused, when it is: "Paused while offline". */
export function statusLabel(phase: AskSeerPhase, pausedBy: AskSeerPauseReason | null): string {
  return phase === "paused" && pausedBy !== null ? `Paused while ${pausedBy}` : PHASE_LABELS[phase];
}

/** What a failure being retried says about the network: slow, unreachable, or a server answering badly. */
export type RetryCause = "slow" | "unreachable" | "server";

/** Why the poller is retrying, in words, from the snapshot's `lastFailure`. */
export function describeRetry(failure: AskSeerErrorInfo): { cause: RetryCause; text: string } {
  switch (failure.kind) {
    case "request_timeout":
      return { cause: "slow", text: "Sentry is slow to answer; asking again…" };
    case "network":
      return { cause: "unreachable", text: "Can't reach Sentry right now; trying again…" };
    default:
      return { cause: "server", text: "Sentry had a problem answering; trying again…" };
  }
}

/** A failure in plain words: what happened, and the server's own words when it gave any. */
export interface PlainError {
  title: string;
  detail: string | null;
}

function httpTitle(status: number | null): string {
  if (status === 403) return "You don't have access to Seer in this organization.";
  if (status === 404) return "Sentry no longer knows this search.";
  if (status === 429) return "Sentry is receiving too many requests right now.";
  if (status !== null && status >= 500) return `Sentry had a problem answering (HTTP ${String(status)}).`;
  return `Sentry refused the request (HTTP ${String(status ?? "?")}).`;
}

/** Says why a run ended badly; `error` is `null` when the agent's own run failed. */
export function describeError(error: AskSeerErrorInfo | null): PlainError {
  if (error === null) return { title: "Seer ran into a problem and could not finish this search.", detail: null };
  const detail = error.detail;
  switch (error.kind) {
    case "http":
      return { title: httpTitle(error.status), detail };
    case "network":
      return { title: "Couldn't reach Sentry. Check your connection.", detail: error.message };
    case "request_timeout":
      return { title: "Sentry kept answering too slowly, so the search was given up.", detail: error.message };
    case "decode":
      return { title: "Sentry sent an answer this page could not read.", detail: error.message };
    case "missing_run_id":
      return { title: "Sentry accepted the question but did not say which search to follow.", detail: error.message };
    case "invalid_run_id":
      return { title: "Sentry named a search this page cannot follow.", detail: error.message };
    case "timeout":
      return { title: "Seer stopped making progress, so the search was given up.", detail: error.message };
    case "aborted":
      return { title: "The search was cancelled.", detail: null };
    case "invalid_config":
      return { title: "The search could not be sent as configured.", detail: error.message };
    case "unsupported_environment":
      return { title: "This page cannot run Seer's client: WebAssembly is blocked here.", detail: error.message };
  }
}
