/**
 * Holds one component's `AskSeerPoller` and lets React read it as an external store.
 *
 * The poller is made with the first render's options (making one attaches nothing, so it may be
 * made during render) and takes every later render's options through `setOptions`. It follows
 * its run from the first mount and is disposed a microtask after the last unmount, unless a
 * mount comes straight back: that is StrictMode's simulated unmount and remount, which thus
 * keeps the same poller and the run it may have started. A mount after a disposal makes a new
 * poller with the latest options.
 *
 * With a persist key, the run under way is kept in `sessionStorage` (see `persistedRun.ts`) and
 * the poller resumes the stored run when it is first mounted: once, since StrictMode's remount
 * keeps that poller.
 */
import { AskSeerPoller, IDLE_STATE, isAskSeerError, type AskSeerState, type PollerConfig } from "ask-seer-polling";
import { PersistedRunEntry } from "./persistedRun.js";

/** The state shown while the options are refused. */
function refused(error: unknown): AskSeerState {
  if (!isAskSeerError(error)) throw error;
  const { kind, message, status, detail } = error;
  return Object.freeze({ ...IDLE_STATE, phase: "error", isError: true, error: Object.freeze({ kind, message, status, detail }) });
}

/** One component's poller, for the component's life. */
export class PollerSlot {
  #options: PollerConfig;
  #poller: AskSeerPoller | null = null;
  /** Why the latest options were refused; the poller, if any, keeps the options it had. */
  #failure: AskSeerState | null = null;
  #unsubscribe: (() => void) | null = null;
  #mounts = 0;
  readonly #listeners = new Set<() => void>();
  readonly #persisted: PersistedRunEntry | null;
  /** The question of the run under way, as far as this slot asked or restored it. */
  #query: string | null = null;
  #restoredQuery: string | null = null;

  /** A slot for `options`, keeping its run under `persistKey` in `sessionStorage` when one is given. */
  constructor(options: PollerConfig, persistKey?: string) {
    this.#options = options;
    this.#persisted = persistKey === undefined ? null : new PersistedRunEntry(persistKey);
    this.#make();
  }

  /** The question of the stored run the poller resumed, or `null`. */
  get restoredQuery(): string | null {
    return this.#restoredQuery;
  }

  /** A render's options: the poller takes them (see `AskSeerPoller.setOptions`), or the state says why not. */
  setOptions(options: PollerConfig): void {
    this.#options = options;
    const shown = this.getSnapshot();
    if (this.#poller) {
      try {
        this.#poller.setOptions(options);
        this.#failure = null;
      } catch (error) {
        this.#refuse(error);
      }
    } else {
      this.#make();
      if (this.#mounts > 0) this.#follow();
    }
    if (this.getSnapshot() !== shown) this.#notify();
  }

  /** The component mounted; returns what its unmount calls. */
  mount(): () => void {
    this.#mounts += 1;
    if (!this.#unsubscribe) {
      if (!this.#poller) this.#make();
      this.#follow();
      this.#notify();
    }
    return () => {
      this.#mounts -= 1;
      queueMicrotask(() => {
        if (this.#mounts === 0) this.#release();
      });
    };
  }

  /** For `useSyncExternalStore`. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** For `useSyncExternalStore`: the poller's frozen snapshot. */
  readonly getSnapshot = (): AskSeerState => this.#failure ?? this.#poller?.getSnapshot() ?? IDLE_STATE;

  /** Asks the poller `query`; resolves once the start request is settled. Nothing is asked while the options are refused. */
  readonly submitQuery = (query: string): Promise<void> => {
    if (!this.#poller || this.#failure) return Promise.resolve();
    this.#query = query;
    return this.#poller.submitQuery(query);
  };

  /** Stops the run under way and returns to idle. */
  readonly reset = (): void => {
    this.#poller?.reset();
    this.#persisted?.clear();
  };

  readonly #notify = (): void => {
    this.#persisted?.follow(this.getSnapshot(), this.#query);
    for (const listener of this.#listeners) listener();
  };

  /** Makes the poller with the latest options, or records why they are refused. */
  #make(): void {
    try {
      this.#poller = new AskSeerPoller(this.#options);
      this.#failure = null;
    } catch (error) {
      this.#refuse(error);
    }
  }

  /** Shows why the options were refused: the same state while the reason is the same, so that a render does not change it. */
  #refuse(error: unknown): void {
    const next = refused(error);
    const same = next.error?.kind === this.#failure?.error?.kind && next.error?.message === this.#failure?.error?.message;
    if (!same) this.#failure = next;
  }

  /** Listens to the poller, and resumes the stored run in it. */
  #follow(): void {
    const poller = this.#poller;
    if (!poller) return;
    this.#unsubscribe = poller.subscribe(this.#notify);
    const stored = this.#persisted?.read();
    if (stored) {
      this.#query = this.#restoredQuery = stored.query;
      poller.resume(stored.runId, stored.query);
    }
  }

  #release(): void {
    this.#unsubscribe?.();
    this.#poller?.dispose();
    this.#unsubscribe = null;
    this.#poller = null;
    this.#query = null;
  }
}
