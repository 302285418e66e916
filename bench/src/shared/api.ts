/** What the bench page offers the runner, as `window.bench`, and what it answers. */
import type { ScaleOptions, SearchSample, SoakSample } from "./scale";

/** The three clients measured side by side. */
export type ClientName = "poller" | "tanstack" | "port";

/** The per-poll run's processing answer: the same body on every poll, or a new one on each. */
export type PollBody = "identical" | "changing";

/** One timed polling run. */
export interface PerPollSample {
  /** Wall time from the first request to the state showing completion, in ms. */
  readonly elapsedMs: number;
  /** State requests the client sent. */
  readonly polls: number;
}

/** What a client's subscriber and React saw during a short run with a few distinct states. */
export interface NotificationSample {
  /** Listener calls from the first request to completion. */
  readonly listenerCalls: number;
  /** Listener calls that carried a server state (after the start request was answered). */
  readonly stateListenerCalls: number;
  /** Distinct server states the client showed. */
  readonly distinctStates: number;
  /** State requests the client sent. */
  readonly polls: number;
}

/** Renders of one React component during a short run. */
export interface RenderSample {
  /** Calls of the component function, the first one included. */
  readonly renders: number;
  /** Distinct server states the component rendered. */
  readonly distinctStates: number;
  readonly polls: number;
  /** Renders of a `React.memo` child that takes the completed steps, the first one included. */
  readonly stepListRenders: number;
  /** Of those, renders whose steps equal by content the ones the child rendered before (another array of the same steps). */
  readonly stepListRendersSameContent: number;
  /** Distinct `session.completed_steps` lists (by content) in the state bodies the server sent. */
  readonly distinctStepLists: number;
}

/** A run against a server that answers after a delay and finishes at a given time. */
export interface RequestSample {
  /** Every request: the start request and the state requests. */
  readonly requests: number;
  /** The most requests in flight at once. */
  readonly maxInFlight: number;
  /** Requests sent after the client showed the run as finished. */
  readonly requestsAfterEnd: number;
  /** From the server finishing to the client showing it, in ms. */
  readonly finishDelayMs: number;
}

/** The libraries whose import cost is measured: the package's default entry and TanStack's core. */
export const IMPORT_TARGETS = ["ask-seer-polling", "@tanstack/query-core"] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** The chunk of each target, relative to the import-cost page. */
export const IMPORT_CHUNKS: Record<ImportTarget, string> = {
  "ask-seer-polling": "import/ask-seer-polling.js",
  "@tanstack/query-core": "import/query-core.js",
};

/** One cold import on a fresh page, in ms of `performance.now()`. */
export interface ImportSample {
  /** From `import()` to the module's namespace: fetching, compiling and evaluating the chunk. */
  readonly importMs: number;
  /** Making the client: `new AskSeerPoller(...)`, or a `QueryClient` and a `QueryObserver`. */
  readonly makeMs: number;
  readonly totalMs: number;
}

/** The page's entry points. */
export interface BenchApi {
  /** Resolves once the wasm module is instantiated. */
  ready(): Promise<void>;
  /** Polls `polls` times with a zero interval; `null` client: the loop without a client. */
  perPoll(client: ClientName | null, polls: number, body: PollBody): Promise<PerPollSample>;
  notifications(client: "poller" | "tanstack", intervalMs: number): Promise<NotificationSample>;
  renders(hook: "www" | "useQuery", intervalMs: number): Promise<RenderSample>;
  requests(
    client: "poller" | "tanstack",
    options: { runMs: number; intervalMs: number; latencyMs: number; settleMs: number },
  ): Promise<RequestSample>;
  /** Makes the poller that the memory steps below use, and runs it for `polls` polls. */
  memorySetup(polls: number): Promise<void>;
  memoryPolls(polls: number): Promise<void>;
  memorySubmitReset(cycles: number): Promise<void>;
  /** The size of the package's `WebAssembly.Memory`. */
  wasmMemoryBytes(): number;
  /** Runs the garbage collector (the page runs with `--expose-gc`). */
  collectGarbage(): void;
  /** Mounts `n` search components against the simulated agent; they stay mounted until `unmount`. */
  scaleRun(options: ScaleOptions): Promise<SearchSample[]>;
  /** Mounts the one search component of the soak. */
  soakMount(pollIntervalMs: number): void;
  /** Asks the soak's component `count` more questions, one after another. */
  soakQuestions(count: number): Promise<SoakSample>;
  /** Unmounts the scale or soak components. */
  unmount(): void;
}

/** Polls in the notification and render runs. */
export const NOTIFY_POLLS = 40;
/** Distinct server states those runs go through: four while processing, then completed. */
export const NOTIFY_STATES = 5;
