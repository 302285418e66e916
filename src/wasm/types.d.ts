/** How the run is polled: by its UUID (`sentry_run_id`) or by the older numeric `run_id`. */
export type RunIdKind = "uuid" | "numeric";

/** The id a run is polled by, with both ids the server handed out. */
export interface RunId {
  readonly kind: RunIdKind;
  /** The id as it appears in the state URL. */
  readonly value: string;
  /** The lowercase hyphenated UUID, when the server sent one. */
  readonly sentryRunId: string | null;
  /** The numeric id, when the server sent one (for analytics). */
  readonly numericRunId: number | null;
}

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

/** A chart of a candidate query. */
export interface AskSeerChart {
  readonly chartType: number | null;
  readonly yAxes: readonly string[];
  readonly interval: string | null;
}

/** One candidate query, normalised from either shape. Absent fields are `null`, lists empty. */
export interface AskSeerQuery {
  readonly query: string;
  readonly groupBys: readonly string[];
  readonly visualizations: readonly AskSeerChart[];
  readonly sort: string | null;
  readonly statsPeriod: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly mode: string | null;
  readonly resultCount: number | null;
  readonly spanQuery: string | null;
  readonly logQuery: string | null;
  readonly metricQuery: string | null;
}

/**
 * A search-agent session, passed through as the object `JSON.parse` made of the state answer.
 * Only `status` is guaranteed. The package checks the fields it acts on (`status`, the steps,
 * `final_query`, `final_response`, `unsupported_reason`) and refuses an answer where they have
 * other types; the informational fields are not checked, and absent fields are absent.
 */
export interface Session {
  readonly status: SessionStatus;
  readonly current_step?: SessionStep | null;
  readonly completed_steps?: readonly SessionStep[] | null;
  readonly final_query?: string | null;
  readonly final_response?: FinalResponse | null;
  readonly unsupported_reason?: string | null;
  readonly created_at?: string | null;
  readonly updated_at?: string | null;
  readonly natural_language_query?: string | null;
  readonly org_id?: number | null;
  readonly org_slug?: string | null;
  readonly run_id?: number | null;
  readonly strategy?: string | null;
  readonly [field: string]: unknown;
}

/** One poll's outcome. */
export interface PollResult {
  /** `null` when the server does not know the run. */
  readonly session: Session | null;
  /** Whether the run is still going: `status == "processing"` or a step is running. */
  readonly keepPolling: boolean;
  /** The run's UUID, when the state body carries a valid one. */
  readonly sentryRunId: string | null;
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
  /** Sent in the start request as `JSON.stringify` writes it. */
  options?: Record<string, unknown>;
}

/** The class of a failure. */
export type AskSeerErrorKind =
  | "missing_run_id"
  | "invalid_config"
  | "invalid_run_id"
  | "http"
  | "network"
  | "request_timeout"
  | "decode"
  | "aborted"
  | "timeout"
  /** WebAssembly is unavailable or blocked (a Content-Security-Policy without 'wasm-unsafe-eval'). */
  | "unsupported_environment";

/** Every failure the package reports is an `Error` of this shape. */
export interface AskSeerError extends Error {
  readonly name: "AskSeerError";
  readonly kind: AskSeerErrorKind;
  /** The HTTP status, when the server answered. */
  readonly status: number | null;
  /** The server's `detail` string, when it sent one. */
  readonly detail: string | null;
}

/** A failure as the snapshot carries it. */
export interface AskSeerErrorInfo {
  readonly kind: AskSeerErrorKind;
  readonly message: string;
  readonly status: number | null;
  readonly detail: string | null;
}

/** Where a run stands. */
export type AskSeerPhase =
  | "idle"
  | "starting"
  | "polling"
  | "backoff"
  | "paused"
  | "completed"
  | "error"
  | "timed_out"
  | "gone";

/** Why polling is paused: the page is hidden, or the browser is offline. */
export type AskSeerPauseReason = "hidden" | "offline";

/**
 * The poller's state: frozen, and the same object until something changes. A part equal to the
 * previous state's is that very object (structural sharing), so `completedSteps`, `currentStep`,
 * `finalResponse`, `queries`, `runId` and `error` keep their identity while their content does.
 */
export interface AskSeerState {
  readonly phase: AskSeerPhase;
  readonly runId: RunId | null;
  readonly sessionData: Session | null;
  /** True while starting, polling, backing off or paused. */
  readonly isPending: boolean;
  /** True while starting, polling, backing off or paused. */
  readonly isPolling: boolean;
  /** True in `error` and `timed_out`; false in `gone`, where a resumed run is simply unknown to the server. */
  readonly isError: boolean;
  readonly startFailed: boolean;
  /** Why the run ended badly; `null` when the server's run itself failed (`status: "error"`). */
  readonly error: AskSeerErrorInfo | null;
  /** Why polling is paused; set exactly in phase `paused` (`"offline"` when both apply). */
  readonly pausedBy: AskSeerPauseReason | null;
  /**
   * The transient failure being retried (`request_timeout`: the server is slow; `network`: it
   * cannot be reached; `http`: it answers with 408, 429 or 5xx; `decode`); `null` after a success
   * and once the run ends.
   */
  readonly lastFailure: AskSeerErrorInfo | null;
  readonly finalResponse: FinalResponse | null;
  /** The candidate queries, best first; empty until the run completes. Frozen. */
  readonly queries: readonly AskSeerQuery[];
  readonly finalQuery: string | null;
  /** The session's reason, else `final_response.unsupported_reason`. */
  readonly unsupportedReason: string | null;
  /** The session's `current_step` object itself. */
  readonly currentStep: SessionStep | null;
  /** The session's `completed_steps` array itself; an empty array when it has none. */
  readonly completedSteps: readonly SessionStep[];
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
  /** Sent in the start request as `JSON.stringify` writes it. */
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
