/**
 * `useAskSeerPolling`: Sentry's hook of that name, over the package's `AskSeerPoller`. The
 * hook only ties the poller's life to the component's; the poller holds all the logic.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { IDLE_STATE, type AskSeerError, type AskSeerState, type FinalResponse, type PollerConfig } from "ask-seer-polling";
import { PollerSlot } from "./pollerSlot.js";

/**
 * The poller's configuration, passed to the poller on every render (see
 * `AskSeerPoller.setOptions`): `headers`, `fetch`, the timings and `pauseWhenHidden` apply to
 * the run under way from its next request or wait; `orgSlug`, `baseUrl`, `projectIds`,
 * `strategy`, `referrer` and `options` apply from the next question; the latest callbacks are
 * always the ones called.
 */
export interface UseAskSeerPollingOptions extends PollerConfig {
  /**
   * Keeps the run under way in `sessionStorage` under this key (its id and its question only),
   * so that a reloaded page resumes it instead of asking again. Read when the component mounts.
   */
  persistKey?: string;
}

/**
 * What Sentry's hook returns, under its older and its newer names: the poller's state (its
 * `error`, `phase`, `pausedBy` and `lastFailure` among it) with the actions and the restored
 * question.
 */
export interface UseAskSeerPollingResult extends AskSeerState {
  /** `isPending`, under the name Sentry's newer hook uses. */
  readonly isSessionPending: boolean;
  /** `isError`, under the name Sentry's newer hook uses. */
  readonly isSessionError: boolean;
  /** With `persistKey`: the question of the stored run resumed on mount, for the UI to show; else `null`. */
  readonly restoredQuery: string | null;
  /** Asks the agent; resolves once the start request is settled. */
  readonly submitQuery: (query: string) => Promise<void>;
  /** Stops the run under way and returns to idle. */
  readonly reset: () => void;
}

/** Polls Ask Seer runs for one component. Safe under `<StrictMode>` and on the server. */
export function useAskSeerPolling(options: UseAskSeerPollingOptions): UseAskSeerPollingResult {
  const latest = useRef(options);
  const [callbacks] = useState(() => ({
    onSuccess: (response: FinalResponse) => latest.current.onSuccess?.(response),
    onError: (error: AskSeerError) => latest.current.onError?.(error),
  }));
  const { persistKey, ...config } = options;
  const [slot] = useState(() => new PollerSlot({ ...config, ...callbacks }, persistKey));
  useEffect(() => {
    latest.current = options;
    slot.setOptions({ ...config, ...callbacks });
  });
  useEffect(() => slot.mount(), [slot]);
  // On the server, and while hydrating, the snapshot is the idle one: runs start after mounting.
  const state = useSyncExternalStore(slot.subscribe, slot.getSnapshot, getServerSnapshot);
  return {
    ...state,
    isSessionPending: state.isPending,
    isSessionError: state.isError,
    restoredQuery: slot.restoredQuery,
    submitQuery: slot.submitQuery,
    reset: slot.reset,
  };
}

/** The snapshot rendered on the server and while hydrating. */
function getServerSnapshot(): AskSeerState {
  return IDLE_STATE;
}
