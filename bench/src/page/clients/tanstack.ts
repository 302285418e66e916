/**
 * (b) TanStack Query's `QueryObserver`, set up as Sentry's hook sets up `useApiQuery`: the state
 * endpoint as the query, polled by `refetchInterval` while the run keeps going.
 */
import { QueryClient, QueryObserver, type Query } from "@tanstack/query-core";
import { getState, keepPolling, startRun, StateCounter, type PollingRun, type RunOptions, type StateBody } from "./run";

/** TanStack reads a `refetchInterval` of 0 as "off": 1 ms is the smallest that polls. */
export function refetchIntervalMs(intervalMs: number): number {
  return Math.max(intervalMs, 1);
}

/** The query options of the state endpoint, shared with the `useQuery` component. */
export function stateQuery(options: RunOptions, runId: string) {
  return {
    queryKey: ["ask-seer-state", runId],
    queryFn: ({ signal }: { signal: AbortSignal }) => getState(options.fetch, runId, signal),
    refetchInterval: (query: Query<StateBody>) =>
      query.state.data === undefined || keepPolling(query.state.data.session)
        ? refetchIntervalMs(options.intervalMs)
        : false,
    refetchIntervalInBackground: true,
    retry: false,
  } as const;
}

/** Sends the start request, then observes the state query until it shows the run completed. */
export function tanstackRun(options: RunOptions): PollingRun {
  const client = new QueryClient();
  const seen = new StateCounter();
  let unsubscribe = (): void => undefined;
  const finished = startRun(options.fetch).then(
    (runId) =>
      new Promise<void>((resolve, reject) => {
        const observer = new QueryObserver(client, stateQuery(options, runId));
        unsubscribe = observer.subscribe((result) => {
          seen.saw(result.data?.session);
          if (result.isError) reject(result.error);
          else if (result.data !== undefined && !keepPolling(result.data.session)) resolve();
        });
      }),
  );
  return {
    finished,
    seen,
    dispose: () => {
      unsubscribe();
      client.clear();
    },
  };
}
