/**
 * Holds one component's `AskSeerPoller` and lets React read it as an external store.
 *
 * The poller is made in an effect (never during render, since it listens to the document) and
 * disposed a microtask after the effect's cleanup, unless the effect comes straight back with
 * the same identity: that is StrictMode's simulated unmount and remount, which thus keeps the
 * same poller and the run it may have started.
 */
import { AskSeerPoller, isAskSeerError, type AskSeerState } from "ask-seer-polling";

/** What a component sees before its poller exists. */
const IDLE: AskSeerState = Object.freeze({
  phase: "idle",
  runId: null,
  sessionData: null,
  isPending: false,
  isPolling: false,
  isError: false,
  startFailed: false,
  error: null,
  finalResponse: null,
  queries: Object.freeze([]),
  finalQuery: null,
  unsupportedReason: null,
  currentStep: null,
  completedSteps: Object.freeze([]),
});

/** The state shown when the poller could not be made: its configuration was refused. */
function refused(error: unknown): AskSeerState {
  if (!isAskSeerError(error)) throw error;
  const { kind, message, status, detail } = error;
  return Object.freeze({ ...IDLE, phase: "error", isError: true, error: Object.freeze({ kind, message, status, detail }) });
}

/** One component's poller, swapped when its identity (organization, projects, strategy) changes. */
export class PollerSlot {
  #poller: AskSeerPoller | null = null;
  #identity: string | null = null;
  #unsubscribe: (() => void) | null = null;
  #releasing = false;
  #failure: AskSeerState | null = null;
  readonly #listeners = new Set<() => void>();

  /** Makes the poller for `identity`, unless the one being released has that identity: it is kept. */
  attach(identity: string, create: () => AskSeerPoller): void {
    if (this.#releasing && this.#identity === identity) {
      this.#releasing = false;
      return;
    }
    this.#release();
    this.#identity = identity;
    try {
      const poller = create();
      this.#poller = poller;
      this.#unsubscribe = poller.subscribe(this.#notify);
    } catch (error) {
      this.#failure = refused(error);
    }
    this.#notify();
  }

  /** Disposes the poller after the current task's synchronous work, unless `attach` keeps it. */
  detach(): void {
    this.#releasing = true;
    const poller = this.#poller;
    queueMicrotask(() => {
      if (this.#releasing && this.#poller === poller) this.#release();
    });
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** For `useSyncExternalStore`: the poller's frozen snapshot. */
  readonly getSnapshot = (): AskSeerState => this.#poller?.getSnapshot() ?? this.#failure ?? IDLE;

  /** Asks the poller `query`; resolves once the start request is settled. */
  readonly submitQuery = (query: string): Promise<void> => this.#poller?.submitQuery(query) ?? Promise.resolve();

  /** Stops the run under way and returns to idle. */
  readonly reset = (): void => {
    this.#poller?.reset();
  };

  readonly #notify = (): void => {
    for (const listener of this.#listeners) listener();
  };

  #release(): void {
    this.#unsubscribe?.();
    this.#poller?.dispose();
    this.#poller = null;
    this.#unsubscribe = null;
    this.#identity = null;
    this.#failure = null;
    this.#releasing = false;
  }
}
