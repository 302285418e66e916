// Generated from the Rust types by `make contract` (src/contract.rs): do not edit.
/**
 * How the run is polled: by its UUID (`sentry_run_id`) or by the older numeric `run_id`.
 */
export type RunIdKind = "uuid" | "numeric";
/**
 * The id a run is polled by, with both ids the server handed out.
 */
export interface RunId {
  /**
   * Whether the run is polled by its UUID or by its numeric id.
   */
  readonly kind: RunIdKind;
  /**
   * The id as it appears in the state URL.
   */
  readonly value: string;
  /**
   * The lowercase hyphenated UUID, when the server sent one.
   */
  readonly sentryRunId: string | null;
  /**
   * The numeric id, when the server sent one (for analytics).
   */
  readonly numericRunId: number | null;
}
/**
 * Where a run stands.
 */
export type AskSeerPhase = "idle" | "starting" | "polling" | "backoff" | "paused" | "completed" | "error" | "timed_out" | "gone";
/**
 * Why polling is paused: the page is hidden, or the browser is offline.
 */
export type AskSeerPauseReason = "hidden" | "offline";
/**
 * The class of a failure, as JavaScript sees it in `error.kind`.
 */
export type AskSeerErrorKind = "missing_run_id" | "invalid_config" | "invalid_run_id" | "http" | "network" | "request_timeout" | "decode" | "aborted" | "timeout" | "unsupported_environment";
/**
 * A failure with everything a caller needs to explain it (`AskSeerErrorInfo` in JavaScript).
 */
export interface AskSeerErrorInfo {
  /**
   * The class of failure.
   */
  readonly kind: AskSeerErrorKind;
  /**
   * A sentence saying what happened.
   */
  readonly message: string;
  /**
   * The HTTP status, when the server answered.
   */
  readonly status: number | null;
  /**
   * The server's `detail` string, when it sent one.
   */
  readonly detail: string | null;
}
/**
 * A chart of a candidate query.
 */
export interface AskSeerChart {
  /**
   * The chart type's number, `null` when absent.
   */
  readonly chartType: number | null;
  /**
   * The aggregates drawn.
   */
  readonly yAxes: ReadonlyArray<string>;
  /**
   * The interval, such as `1h`.
   */
  readonly interval: string | null;
}
/**
 * One candidate query, normalised from either shape. Absent fields are `null`, lists empty.
 */
export interface AskSeerQuery {
  /**
   * The search query.
   */
  readonly query: string;
  /**
   * The fields to group by.
   */
  readonly groupBys: ReadonlyArray<string>;
  /**
   * The charts to draw.
   */
  readonly visualizations: ReadonlyArray<AskSeerChart>;
  /**
   * The sort, such as `-span.duration`.
   */
  readonly sort: string | null;
  /**
   * The relative period, such as `24h` (empty when `start` and `end` are used).
   */
  readonly statsPeriod: string | null;
  /**
   * The start of an absolute period.
   */
  readonly start: string | null;
  /**
   * The end of an absolute period.
   */
  readonly end: string | null;
  /**
   * `samples` or `aggregates`.
   */
  readonly mode: string | null;
  /**
   * How many results the agent saw for it, `null` when absent.
   */
  readonly resultCount: number | null;
  /**
   * A cross-event span filter (Traces only).
   */
  readonly spanQuery: string | null;
  /**
   * A cross-event log filter (Traces only).
   */
  readonly logQuery: string | null;
  /**
   * A cross-event metric filter (Traces only).
   */
  readonly metricQuery: string | null;
}
/**
 * One poll's outcome.
 */
export interface PollResult {
  /**
   * `null` when the server does not know the run.
   */
  readonly session: Session | null;
  /**
   * Whether the run is still going: `status == "processing"` or a step is running.
   */
  readonly keepPolling: boolean;
  /**
   * The run's UUID, when the state body carries a valid one.
   */
  readonly sentryRunId: string | null;
}
/**
 * The poller's state: frozen, and the same object until something changes. A part equal to the
 * previous state's is that very object (structural sharing), so `completedSteps`, `currentStep`,
 * `finalResponse`, `queries`, `runId` and `error` keep their identity while their content does.
 */
export interface AskSeerState {
  /**
   * Where the run stands.
   */
  readonly phase: AskSeerPhase;
  /**
   * The id being polled.
   */
  readonly runId: RunId | null;
  /**
   * The latest session the server sent, as it sent it.
   */
  readonly sessionData: Session | null;
  /**
   * True while starting, polling, backing off or paused.
   */
  readonly isPending: boolean;
  /**
   * True while starting, polling, backing off or paused.
   */
  readonly isPolling: boolean;
  /**
   * True in `error` and `timed_out`; false in `gone`, where a resumed run is simply unknown to the server.
   */
  readonly isError: boolean;
  /**
   * Whether the start request failed.
   */
  readonly startFailed: boolean;
  /**
   * Why the run ended badly; `null` when the server's run itself failed (`status: "error"`).
   */
  readonly error: AskSeerErrorInfo | null;
  /**
   * Why polling is paused; set exactly in phase `paused` (`"offline"` when both apply).
   */
  readonly pausedBy: AskSeerPauseReason | null;
  /**
   * The transient failure being retried (`request_timeout`: the server is slow; `network`: it
   * cannot be reached; `http`: it answers with 408, 429 or 5xx; `decode`); `null` after a success
   * and once the run ends.
   */
  readonly lastFailure: AskSeerErrorInfo | null;
  /**
   * The session's `final_response`, as the server sent it.
   */
  readonly finalResponse: FinalResponse | null;
  /**
   * The candidate queries, best first; empty until the run completes. Frozen.
   */
  readonly queries: ReadonlyArray<AskSeerQuery>;
  /**
   * The session's `final_query`.
   */
  readonly finalQuery: string | null;
  /**
   * The session's reason, else `final_response.unsupported_reason`.
   */
  readonly unsupportedReason: string | null;
  /**
   * The session's `current_step` object itself: the step the agent is working on.
   */
  readonly currentStep: SessionStep | null;
  /**
   * The session's `completed_steps` array itself (an empty array when it has none): the steps
   * the agent has finished, in order.
   */
  readonly completedSteps: ReadonlyArray<SessionStep>;
}
/** The state of a poller before its first run, as `getSnapshot()` returns it: deeply frozen. */
export declare const IDLE_STATE: AskSeerState;
/** Where requests go and how they are sent. */
export interface ClientConfig {
  /** `[A-Za-z0-9_-]+`. */
  orgSlug: string;
  /** `/api/0` unless given; no `?` or `#`. */
  baseUrl?: string;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** The `fetch` to use: the global one unless given. */
  fetch?: FetchLike;
}
/** What to ask the agent. */
export interface StartRequest {
  /** The question, in plain words. */
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
/** An `AskSeerPoller`'s configuration. Durations are in milliseconds. `poller.setOptions` changes any field later: `headers`, `fetch`, the timings, `pauseWhenHidden`, `onSuccess` and `onError` apply to the run under way from its next request or wait; `orgSlug`, `baseUrl`, `projectIds`, `strategy`, `referrer` and `options` apply from the next run started. */
export interface PollerConfig extends ClientConfig {
  /** Integers; `-1` means all projects. */
  projectIds: number[];
  /** The dataset, such as `"Traces"`. */
  strategy: string;
  /** `"search_bar"` unless given. */
  referrer?: string;
  /** Sent in the start request as `JSON.stringify` writes it. */
  options?: Record<string, unknown>;
  /** Wait after each handled answer; 500. */
  pollIntervalMs?: number;
  /** Wait between polls while they fail transiently; 2500. */
  errorPollIntervalMs?: number;
  /** How long polls may keep failing transiently before the run gives up; 60000. */
  maxErrorWindowMs?: number;
  /** A processing run without a new `updated_at` for this long times out; 120000. */
  staleAfterMs?: number;
  /** A whole run times out after this long; 300000. */
  maxRunMs?: number;
  /** One request unanswered for this long is aborted: a transient failure of kind `request_timeout`; 30000. */
  requestTimeoutMs?: number;
  /** Stop polling while `document.visibilityState` is `"hidden"`; true. (Polling always stops while the browser is offline.) */
  pauseWhenHidden?: boolean;
  /** Called once per completed run with its `final_response`. */
  onSuccess?: (finalResponse: FinalResponse) => void;
  /** Called once per run that ends with an error. */
  onError?: (error: AskSeerError) => void;
}
