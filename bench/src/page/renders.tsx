/**
 * React renders during the notification run: the package's `useAskSeerPolling` hook
 * against TanStack's `useQuery` over the state endpoint, each in a component that shows the
 * run's progress and passes the run's completed steps to a `React.memo` child.
 */
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import type { FetchLike, Session, SessionStep } from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import { memo, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import type { RenderSample } from "../shared/api";
import { keepPolling, ORG_SLUG, PROJECT_IDS, QUERY, startRun, StateCounter, STRATEGY } from "./clients/run";
import { stateQuery } from "./clients/tanstack";
import { FakeServer, type ServerScript } from "./fakeServer";
import { stepping } from "./scripts";

interface ViewProps {
  readonly fetch: FetchLike;
  readonly intervalMs: number;
  /** Counts each render, with the session it shows. */
  readonly renders: StateCounter;
  /** Counts the renders of the memoised child that takes the completed steps. */
  readonly stepRenders: StepRenders;
  readonly onDone: (failure: string | null) => void;
}

function Progress({ session }: { readonly session: Session | null | undefined }) {
  return (
    <p>
      {session?.status ?? "starting"}: {session?.current_step?.key ?? "-"}, {session?.completed_steps?.length ?? 0}{" "}
      steps done
    </p>
  );
}

/** Renders of the memoised child, and those whose steps equal, by content, the ones it rendered before. */
class StepRenders {
  count = 0;
  sameContent = 0;
  #last: string | null = null;

  saw(steps: readonly SessionStep[] | undefined): void {
    const content = JSON.stringify(steps ?? null);
    this.count += 1;
    if (content === this.#last) this.sameContent += 1;
    this.#last = content;
  }
}

interface StepsProps {
  readonly steps: readonly SessionStep[] | undefined;
  readonly renders: StepRenders;
}

/** A memoised child of the completed steps: it renders again only when it gets another array. */
const CompletedSteps = memo(function CompletedSteps({ steps, renders }: StepsProps) {
  renders.saw(steps);
  return <ol>{steps?.map((step) => <li key={step.key}>{step.key}</li>)}</ol>;
});

function HookView({ fetch, intervalMs, renders, stepRenders, onDone }: ViewProps) {
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
  return (
    <>
      <Progress session={state.sessionData} />
      <CompletedSteps steps={state.completedSteps} renders={stepRenders} />
    </>
  );
}

function QueryView({ fetch, intervalMs, renders, stepRenders, onDone }: ViewProps) {
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
  return (
    <>
      <Progress session={session} />
      <CompletedSteps steps={session?.completed_steps ?? undefined} renders={stepRenders} />
    </>
  );
}

/** `script`, noting the distinct `session.completed_steps` lists (by content) of the bodies it sends. */
function notingStepLists(script: ServerScript, lists: Set<string>): ServerScript {
  return {
    ...script,
    stateBody: (n) => {
      const body = script.stateBody(n);
      const parsed = JSON.parse(body) as { session?: { completed_steps?: unknown } | null };
      lists.add(JSON.stringify(parsed.session?.completed_steps ?? null));
      return body;
    },
  };
}

/** Mounts one component, waits for the run to complete, and unmounts it. */
export async function renders(hook: "www" | "useQuery", intervalMs: number): Promise<RenderSample> {
  const stepLists = new Set<string>();
  const server = new FakeServer(notingStepLists(stepping, stepLists));
  const counter = new StateCounter();
  const stepRenders = new StepRenders();
  const container = document.createElement("div");
  document.body.append(container);
  const root = createRoot(container);
  try {
    await new Promise<void>((resolve, reject) => {
      const onDone = (failure: string | null): void => {
        if (failure === null) resolve();
        else reject(new Error(failure));
      };
      const props = { fetch: server.fetch, intervalMs, renders: counter, stepRenders, onDone };
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
  return {
    renders: counter.calls,
    distinctStates: counter.distinctStates,
    polls: server.polls,
    stepListRenders: stepRenders.count,
    stepListRendersSameContent: stepRenders.sameContent,
    distinctStepLists: stepLists.size,
  };
}
