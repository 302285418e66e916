/**
 * React renders during the notification run: the package's `useAskSeerPolling` hook
 * against TanStack's `useQuery` over the state endpoint, each in a component that shows the
 * run's progress.
 */
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import type { FetchLike, Session } from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import { useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import type { RenderSample } from "../shared/api";
import { keepPolling, ORG_SLUG, PROJECT_IDS, QUERY, startRun, StateCounter, STRATEGY } from "./clients/run";
import { stateQuery } from "./clients/tanstack";
import { FakeServer } from "./fakeServer";
import { stepping } from "./scripts";

interface ViewProps {
  readonly fetch: FetchLike;
  readonly intervalMs: number;
  /** Counts each render, with the session it shows. */
  readonly renders: StateCounter;
  readonly onDone: (failure: string | null) => void;
}

function Progress({ session }: { readonly session: Session | null | undefined }) {
  return (
    <p>
      {session?.status ?? "starting"}: {session?.current_step?.key ?? "-"}, {session?.completed_steps.length ?? 0}{" "}
      steps done
    </p>
  );
}

function HookView({ fetch, intervalMs, renders, onDone }: ViewProps) {
  const state = useAskSeerPolling({
    orgSlug: ORG_SLUG,
    projectIds: PROJECT_IDS,
    strategy: STRATEGY,
    fetch,
    pollIntervalMs: intervalMs,
    pauseWhenHidden: false,
  });
  renders.saw(state.sessionData);
  const { submitQuery, phase, isPending } = state;
  useEffect(() => {
    void submitQuery(QUERY);
  }, [submitQuery]);
  useEffect(() => {
    if (phase === "completed") onDone(null);
    else if (phase !== "idle" && !isPending) onDone(`the hook ended in ${phase}`);
  }, [phase, isPending, onDone]);
  return <Progress session={state.sessionData} />;
}

function QueryView({ fetch, intervalMs, renders, onDone }: ViewProps) {
  const [runId, setRunId] = useState<string | null>(null);
  useEffect(() => {
    startRun(fetch).then(setRunId, (error: unknown) => {
      onDone(String(error));
    });
  }, [fetch, onDone]);
  const query = useQuery({ ...stateQuery({ fetch, intervalMs }, runId ?? ""), enabled: runId !== null });
  const session = query.data?.session;
  renders.saw(session);
  const done = query.data !== undefined && !keepPolling(session);
  useEffect(() => {
    if (done) onDone(null);
    else if (query.isError) onDone("useQuery failed");
  }, [done, query.isError, onDone]);
  return <Progress session={session} />;
}

/** Mounts one component, waits for the run to complete, and unmounts it. */
export async function renders(hook: "www" | "useQuery", intervalMs: number): Promise<RenderSample> {
  const server = new FakeServer(stepping);
  const counter = new StateCounter();
  const container = document.createElement("div");
  document.body.append(container);
  const root = createRoot(container);
  try {
    await new Promise<void>((resolve, reject) => {
      const onDone = (failure: string | null): void => {
        if (failure === null) resolve();
        else reject(new Error(failure));
      };
      const props = { fetch: server.fetch, intervalMs, renders: counter, onDone };
      root.render(
        hook === "www" ? (
          <HookView {...props} />
        ) : (
          <QueryClientProvider client={new QueryClient()}>
            <QueryView {...props} />
          </QueryClientProvider>
        ),
      );
    });
  } finally {
    root.unmount();
    container.remove();
  }
  return { renders: counter.calls, distinctStates: counter.distinctStates, polls: server.polls };
}
