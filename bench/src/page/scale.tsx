/**
 * Many search components on one page, and one component asking question after question, against
 * the simulated search agent over real HTTP. Each component is the package's `useAskSeerPolling`
 * hook (`ask-seer-polling/react`) with a `fetch` that counts its own requests.
 */
import type { FetchLike } from "ask-seer-polling";
import { useEffect, useLayoutEffect } from "react";
import { createRoot, type Root } from "react-dom/client";
import { useAskSeerPolling } from "ask-seer-polling/react";
import type { ScaleOptions, SearchSample, SoakSample } from "../shared/scale";

/** One component's requests: how many, how many at once, how many after it showed the end. */
class RequestProbe {
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  requestsAfterEnd = 0;
  phase = "idle";
  shownAt: number | null = null;
  updatedAt: string | null = null;

  /** A request is in flight until its body has been read. */
  readonly fetch: FetchLike = async (input, init) => {
    this.requests += 1;
    if (this.shownAt !== null) this.requestsAfterEnd += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const response = await window.fetch(input, init);
      const body = await response.text();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } finally {
      this.inFlight -= 1;
    }
  };

  /** The component rendered a run that has ended. */
  ended(phase: string, updatedAt: string | null): void {
    this.phase = phase;
    this.shownAt = performance.timeOrigin + performance.now();
    this.updatedAt = updatedAt;
  }

  /** A new question: the run has not ended yet. */
  asked(): void {
    this.phase = "idle";
    this.shownAt = null;
    this.updatedAt = null;
  }

  sample(): SearchSample {
    const { phase, requests, maxInFlight, requestsAfterEnd, shownAt, updatedAt } = this;
    return { phase, requests, maxInFlight, requestsAfterEnd, shownAt, updatedAt };
  }
}

interface SearchProps {
  readonly probe: RequestProbe;
  readonly pollIntervalMs: number;
  readonly question: string | null;
  readonly onEnded: () => void;
}

/** A search box's worth of state: the phase, the running step, the steps done and the final query. */
function Search({ probe, pollIntervalMs, question, onEnded }: SearchProps) {
  const seer = useAskSeerPolling({
    orgSlug: "acme",
    projectIds: [-1],
    strategy: "Traces",
    fetch: probe.fetch,
    pollIntervalMs,
    pauseWhenHidden: false,
  });
  const { submitQuery, phase, isPending, sessionData, currentStep, completedSteps, finalQuery } = seer;
  useEffect(() => {
    if (question === null) return;
    probe.asked();
    void submitQuery(question);
  }, [probe, question, submitQuery]);
  // After the DOM shows the end: that is when the user sees it.
  useLayoutEffect(() => {
    if (phase === "idle" || isPending) return;
    probe.ended(phase, sessionData?.updated_at ?? null);
    onEnded();
    // Only a change of phase is an end; the session and callback are read as they are then.
  }, [phase, isPending]);
  return (
    <section data-phase={phase}>
      <strong>{phase}</strong> {currentStep?.key ?? ""} ({completedSteps.length} steps done)
      {finalQuery !== null && <code>{finalQuery}</code>}
    </section>
  );
}

/** The root the components of the current run are mounted in. */
let mounted: { root: Root; container: HTMLElement } | null = null;

function mount(): Root {
  unmount();
  const container = document.createElement("div");
  document.body.append(container);
  const root = createRoot(container);
  mounted = { root, container };
  return root;
}

/** Unmounts the components of the last run, disposing their pollers. */
export function unmount(): void {
  mounted?.root.unmount();
  mounted?.container.remove();
  mounted = null;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Mounts `n` components at once, each asking its own question, and resolves once every run has
 * ended (or `timeoutMs` has passed) and `settleMs` more have gone by. They stay mounted.
 */
export function scaleRun(options: ScaleOptions): Promise<SearchSample[]> {
  const probes = Array.from({ length: options.n }, () => new RequestProbe());
  const root = mount();
  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      void sleep(options.settleMs).then(() => { resolve(probes.map((probe) => probe.sample())); });
    };
    const timer = setTimeout(finish, options.timeoutMs);
    const onEnded = (): void => {
      if (probes.every((probe) => probe.shownAt !== null)) finish();
    };
    root.render(
      probes.map((probe, i) => (
        <Search
          key={i}
          probe={probe}
          pollIntervalMs={options.pollIntervalMs}
          question={`slow checkout spans in production, panel ${String(i + 1)}`}
          onEnded={onEnded}
        />
      )),
    );
  });
}

/** The soak's one component, and the question it is on. */
let soak: { root: Root; probe: RequestProbe; pollIntervalMs: number; asked: number; completed: number } | null = null;

/** Mounts the one component the soak asks its questions of. */
export function soakMount(pollIntervalMs: number): void {
  const root = mount();
  soak = { root, probe: new RequestProbe(), pollIntervalMs, asked: 0, completed: 0 };
  root.render(<Search probe={soak.probe} pollIntervalMs={pollIntervalMs} question={null} onEnded={() => undefined} />);
}

/** Asks `count` more questions one after another, each once the last has ended. */
export async function soakQuestions(count: number): Promise<SoakSample> {
  const current = soak;
  if (current === null) throw new Error("soakMount has not run");
  for (let i = 0; i < count; i += 1) {
    current.asked += 1;
    await new Promise<void>((resolve) => {
      current.root.render(
        <Search
          probe={current.probe}
          pollIntervalMs={current.pollIntervalMs}
          question={`errors in checkout, question ${String(current.asked)}`}
          onEnded={resolve}
        />,
      );
    });
    if (current.probe.phase === "completed") current.completed += 1;
  }
  const { requests, maxInFlight } = current.probe;
  return { questions: current.asked, completed: current.completed, requests, maxInFlight };
}
