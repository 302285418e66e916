/* The server's data the package passes through, declared here; the values Rust hands to JavaScript
 * and the configuration it reads are declared in contract.d.ts, generated from the Rust types. */

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

/** The `fetch` to use: the global one unless given. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Every failure the package reports is an `Error` of this shape: an `AskSeerErrorInfo` that is thrown. */
export interface AskSeerError extends Error, Omit<AskSeerErrorInfo, "message"> {
  readonly name: "AskSeerError";
}
