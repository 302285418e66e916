/**
 * (c) The hook's logic as plain TypeScript: parse each answer, share structure with the last
 * one, publish a new frozen state only when something changed, and poll again `intervalMs`
 * after each answer while Sentry's keep-polling rule holds.
 */
import { replaceEqualDeep } from "@tanstack/query-core";
import type { Session } from "ask-seer-polling";
import { getState, keepPolling, startRun, StateCounter, type PollingRun, type RunOptions } from "./run";

/** What the port shows. */
interface PortState {
  readonly phase: "starting" | "polling" | "completed" | "error";
  readonly sessionData: Session | null;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}

/** One port instance: its state, its listeners, and the poll loop. */
class PortPoller {
  state: PortState = Object.freeze({ phase: "starting", sessionData: null });
  readonly #listeners = new Set<() => void>();
  readonly #options: RunOptions;
  #controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RunOptions) {
    this.#options = options;
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    startRun(this.#options.fetch).then(
      (runId) => {
        this.#publish({ phase: "polling", sessionData: null });
        this.#poll(runId);
      },
      () => {
        this.#publish({ phase: "error", sessionData: null });
      },
    );
  }

  dispose(): void {
    this.#controller.abort();
    clearTimeout(this.#timer);
    this.#listeners.clear();
  }

  #poll(runId: string): void {
    this.#controller = new AbortController();
    getState(this.#options.fetch, runId, this.#controller.signal).then(
      (body) => {
        const session = replaceEqualDeep(this.state.sessionData, body.session);
        const going = keepPolling(session);
        const phase = going ? "polling" : "completed";
        if (session !== this.state.sessionData || phase !== this.state.phase) {
          this.#publish({ phase, sessionData: deepFreeze(session) });
        }
        if (going) this.#timer = setTimeout(() => this.#poll(runId), this.#options.intervalMs);
      },
      () => {
        this.#publish({ phase: "error", sessionData: this.state.sessionData });
      },
    );
  }

  #publish(state: PortState): void {
    this.state = Object.freeze(state);
    for (const listener of this.#listeners) listener();
  }
}

/** Starts the port and resolves once its state is `completed`. */
export function portRun(options: RunOptions): PollingRun {
  const port = new PortPoller(options);
  const seen = new StateCounter();
  const finished = new Promise<void>((resolve, reject) => {
    port.subscribe(() => {
      seen.saw(port.state.sessionData);
      if (port.state.phase === "completed") resolve();
      else if (port.state.phase === "error") reject(new Error("the port's run failed"));
    });
  });
  port.start();
  return { finished, seen, dispose: () => port.dispose() };
}
