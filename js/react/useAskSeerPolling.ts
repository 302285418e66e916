/**
 * `useAskSeerPolling`: Sentry's hook of that name, over the package's `AskSeerPoller`. The
 * hook only ties the poller's life to the component's; the poller holds all the logic.
 */
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import {
  AskSeerPoller,
  type AskSeerError,
  type AskSeerErrorInfo,
  type AskSeerPauseReason,
  type AskSeerPhase,
  type AskSeerQuery,
  type FinalResponse,
  type PollerConfig,
  type RunId,
  type Session,
  type SessionStep,
} from "ask-seer-polling";
import { PollerSlot } from "./pollerSlot.js";

/**
 * The poller's configuration. A change of `orgSlug`, `projectIds` or `strategy` makes a new
 * poller (and drops the run under way); the callbacks may change freely; the other fields are
 * read when the poller is made.
 */
export interface UseAskSeerPollingOptions extends PollerConfig {
  /**
   * Keeps the run under way in `sessionStorage` under this key (its id and its question only),
   * so that a reloaded page resumes it instead of asking again. Read when the component mounts.
   */
  persistKey?: string;
}

/** What Sentry's hook returns (under its older and its newer names), plus the poller's `error` and `phase`. */
export interface UseAskSeerPollingResult {
  sessionData: Session | null;
  isPending: boolean;
  /** `isPending`, under the name Sentry's newer hook uses. */
  isSessionPending: boolean;
  isPolling: boolean;
  isError: boolean;
  /** `isError`, under the name Sentry's newer hook uses. */
  isSessionError: boolean;
  startFailed: boolean;
  finalResponse: FinalResponse | null;
  /** The candidate queries of a completed run, best first, read from either shape of `finalResponse`. */
  queries: readonly AskSeerQuery[];
  finalQuery: string | null;
  unsupportedReason: string | null;
  currentStep: SessionStep | null;
  completedSteps: readonly SessionStep[];
  runId: RunId | null;
  /** Why the run ended badly; `null` when the server's run itself failed. */
  error: AskSeerErrorInfo | null;
  phase: AskSeerPhase;
  /** Why polling is paused (`"hidden"` or `"offline"`), in phase `paused`. */
  pausedBy: AskSeerPauseReason | null;
  /** The transient failure being retried, such as `request_timeout` for a slow server. */
  lastFailure: AskSeerErrorInfo | null;
  /** With `persistKey`: the question of the stored run resumed on mount, for the UI to show; else `null`. */
  restoredQuery: string | null;
  /** Asks the agent; resolves once the start request is settled. */
  submitQuery: (query: string) => Promise<void>;
  /** Stops the run under way and returns to idle. */
  reset: () => void;
}

/** Polls Ask Seer runs for one component. Safe under `<StrictMode>`. */
export function useAskSeerPolling(options: UseAskSeerPollingOptions): UseAskSeerPollingResult {
  const latest = useRef(options);
  useEffect(() => {
    latest.current = options;
  });
  const [slot] = useState(() => new PollerSlot(options.persistKey));
  const identity = JSON.stringify([options.orgSlug, options.projectIds, options.strategy]);
  useEffect(() => {
    slot.attach(identity, () => {
      const { persistKey, ...config } = latest.current;
      return new AskSeerPoller({
        ...config,
        onSuccess: (response: FinalResponse) => latest.current.onSuccess?.(response),
        onError: (error: AskSeerError) => latest.current.onError?.(error),
      });
    });
    return () => {
      slot.detach();
    };
  }, [slot, identity]);
  // On the server, and while hydrating, the snapshot is the idle one: pollers start in effects.
  const state = useSyncExternalStore(slot.subscribe, slot.getSnapshot, slot.getSnapshot);
  return {
    ...state,
    isSessionPending: state.isPending,
    isSessionError: state.isError,
    restoredQuery: slot.restoredQuery,
    submitQuery: slot.submitQuery,
    reset: slot.reset,
  };
}
