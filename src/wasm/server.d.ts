/* The server's data the package passes through, and the configuration: declared here; the values
 * Rust hands to JavaScript are declared in contract.d.ts, generated from the Rust types. */

/** One step of the agent's work, such as `get_field_values`; a key repeats when the agent runs that tool again. */
export interface SessionStep {
  readonly key: string;
}

/** A run's status; statuses newer than this package read as finished. */
export type SessionStatus = "processing" | "completed" | "error" | (string & {});

/** A chart in an older server's single query object. */
export interface Visualization {
  readonly chartType: number;
  readonly yAxes: readonly string[];
  readonly [field: string]: unknown;
}

/** One candidate query as today's servers send it in `final_response.responses`. */
export interface SearchAgentQuery {
  readonly query: string;
  readonly group_by: readonly string[];
  readonly visualization: readonly {
    readonly chart_type: number;
    readonly y_axes: readonly string[];
    readonly interval: string | null;
    readonly [field: string]: unknown;
  }[];
  readonly sort: string;
  /** Empty when `start` and `end` are used. */
  readonly stats_period: string;
  readonly start: string | null;
  readonly end: string | null;
  readonly mode: string;
  readonly result_count: number | null;
  /** Cross-event filters (Traces only). */
  readonly span_query: string | null;
  readonly log_query: string | null;
  readonly metric_query: string | null;
  readonly [field: string]: unknown;
}

/** Today's `final_response`: candidate queries, best first; `responses` is empty when unsupported. */
export interface SearchAgentResponse {
  readonly responses: readonly SearchAgentQuery[];
  readonly unsupported_reason: string | null;
  readonly run_id: number | null;
  /** May be broader than the projects requested. */
  readonly project_ids: readonly number[] | null;
  readonly reflection: Readonly<Record<string, unknown>> | null;
  readonly [field: string]: unknown;
}

/** An older server's `final_response`: a single query object in camelCase. */
export interface LegacyFinalResponse {
  readonly query: string;
  readonly sort?: string;
  readonly statsPeriod?: string | null;
  readonly start?: string | null;
  readonly end?: string | null;
  readonly groupBys?: readonly string[];
  readonly visualizations?: readonly Visualization[];
  readonly mode?: string;
  readonly [field: string]: unknown;
}

/** The agent's answer, passed through whole: today's shape or an older server's. */
export type FinalResponse = SearchAgentResponse | LegacyFinalResponse;

/** A search-agent session as the state endpoint reports it. Only `status` is guaranteed; absent fields read as `null`. */
export interface Session {
  readonly status: SessionStatus;
  readonly current_step: SessionStep | null;
  readonly completed_steps: readonly SessionStep[];
  readonly final_query: string | null;
  readonly final_response: FinalResponse | null;
  readonly unsupported_reason: string | null;
  readonly created_at: string | null;
  readonly updated_at: string | null;
  readonly natural_language_query: string | null;
  readonly org_id: number | null;
  readonly org_slug: string | null;
  readonly run_id: number | null;
  readonly strategy: string | null;
}

/** The `fetch` to use: the global one unless given. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Where requests go and how they are sent. */
export interface ClientConfig {
  /** `[A-Za-z0-9_-]+`. */
  orgSlug: string;
  /** `/api/0` unless given; no `?` or `#`. */
  baseUrl?: string;
  /** Sent with every request. */
  headers?: Record<string, string>;
  fetch?: FetchLike;
}

/** What to ask the agent. */
export interface StartRequest {
  query: string;
  /** Integers; `-1` means all projects. */
  projectIds: number[];
  /** The dataset, such as `"Traces"`. */
  strategy: string;
  /** `"search_bar"` unless given. */
  referrer?: string;
  options?: Record<string, unknown>;
}

/** Every failure the package reports is an `Error` of this shape: an `AskSeerErrorInfo` that is thrown. */
export interface AskSeerError extends Error, Omit<AskSeerErrorInfo, "message"> {
  readonly name: "AskSeerError";
}

/**
 * An `AskSeerPoller`'s configuration. Durations are in milliseconds. `poller.setOptions` changes
 * any field later: `headers`, `fetch`, the timings, `pauseWhenHidden`, `onSuccess` and `onError`
 * apply to the run under way from its next request or wait; `orgSlug`, `baseUrl`, `projectIds`,
 * `strategy`, `referrer` and `options` apply from the next run started.
 */
export interface PollerConfig extends ClientConfig {
  projectIds: number[];
  strategy: string;
  referrer?: string;
  options?: Record<string, unknown>;
  /** Wait after each handled answer; 500. */
  pollIntervalMs?: number;
  /** Wait between polls while they fail transiently; 2500. */
  errorPollIntervalMs?: number;
  /** Consecutive transient failures tolerated before giving up; 60000. */
  maxErrorWindowMs?: number;
  /** A processing run without a new `updated_at` for this long times out; 120000. */
  staleAfterMs?: number;
  /** A whole run times out after this long; 300000. */
  maxRunMs?: number;
  /** One request unanswered for this long is aborted: a transient failure of kind `request_timeout`; 30000. */
  requestTimeoutMs?: number;
  /** Stop polling while `document.visibilityState` is `"hidden"`; true. (Polling always stops while the browser is offline.) */
  pauseWhenHidden?: boolean;
  onSuccess?: (finalResponse: FinalResponse) => void;
  onError?: (error: AskSeerError) => void;
}
