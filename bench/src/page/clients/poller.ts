/** (a) The package's `AskSeerPoller`. */
import { AskSeerPoller } from "ask-seer-polling";
import { ORG_SLUG, PROJECT_IDS, QUERY, STRATEGY, StateCounter, type PollingRun, type RunOptions } from "./run";

/** Long enough never to end a bench run. */
const NEVER_MS = 3_600_000;

/** A poller set to poll as `options` says, with the run budgets out of the way. */
export function makePoller(options: RunOptions): AskSeerPoller {
  return new AskSeerPoller({
    orgSlug: ORG_SLUG,
    projectIds: PROJECT_IDS,
    strategy: STRATEGY,
    fetch: options.fetch,
    pollIntervalMs: options.intervalMs,
    staleAfterMs: NEVER_MS,
    maxRunMs: NEVER_MS,
    pauseWhenHidden: false,
  });
}

/** Submits the query and resolves once the poller's state is `completed`. */
export function pollerRun(
  options: RunOptions,
  poller = makePoller(options),
  query = QUERY,
): PollingRun & { unsubscribe(): void } {
  const seen = new StateCounter();
  let unsubscribe = (): void => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    unsubscribe = poller.subscribe(() => {
      const state = poller.getSnapshot();
      seen.saw(state.sessionData);
      if (state.phase === "completed") resolve();
      else if (!state.isPending) reject(new Error(`the poller ended in ${state.phase}: ${state.error?.message ?? ""}`));
    });
  });
  void poller.submitQuery(query);
  return {
    finished,
    seen,
    unsubscribe,
    dispose: () => {
      unsubscribe();
      poller.dispose();
    },
  };
}
