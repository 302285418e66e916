/** What the page needs to know about the server behind `/api/0`, served at {@link BACKEND_INFO_PATH}. */
export interface BackendInfo {
  /** `simulated`: the built-in search agent; `proxy`: a real Sentry, reached through the dev server. */
  readonly mode: "simulated" | "proxy";
  readonly orgSlug: string;
  readonly projectIds: readonly number[];
  /** The Sentry host requests are proxied to, in proxy mode. */
  readonly target: string | null;
}

/** Where the dev and preview servers serve the {@link BackendInfo}. */
export const BACKEND_INFO_PATH = "/__ask-seer/backend";
