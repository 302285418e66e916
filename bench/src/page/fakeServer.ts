/**
 * The injected `fetch`: a simulated search-agent endpoint that answers in memory, at once or
 * after a fixed latency, and counts what it is sent.
 */
import type { FetchLike } from "ask-seer-polling";
import { START_BODY } from "./fixtures";

/** How the simulated server answers. */
export interface ServerScript {
  /** The body of the `n`-th state request (from 1), made when the answer is sent. */
  stateBody(n: number): string;
  /** Milliseconds between the call and the answer; 0 answers with an already resolved promise. */
  latencyMs?: number;
}

const NO_HEADERS = new Headers();

/** The parts of a `Response` the clients read; a real `Response` would add the browser's body streaming to every poll. */
function answer(body: string): Response {
  const response: Pick<Response, "status" | "ok" | "headers" | "text" | "json"> = {
    status: 200,
    ok: true,
    headers: NO_HEADERS,
    text: () => Promise.resolve(body),
    json: () => Promise.resolve(JSON.parse(body) as unknown),
  };
  return response as Response;
}

function aborted(): DOMException {
  return new DOMException("The operation was aborted.", "AbortError");
}

/** One simulated server and what it saw. */
export class FakeServer {
  /** State requests so far. */
  polls = 0;
  /** Every request so far, start requests included. */
  requests = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** `performance.now()` of each request. */
  readonly sentAt: number[] = [];
  readonly #script: ServerScript;

  constructor(script: ServerScript) {
    this.#script = script;
  }

  readonly fetch: FetchLike = (input, init) => {
    this.requests += 1;
    const isStart = (init.method ?? "GET") === "POST";
    const n = isStart ? 0 : (this.polls += 1);
    const latency = this.#script.latencyMs ?? 0;
    if (latency > 0) this.sentAt.push(performance.now());
    const bodyOf = (): string => (isStart ? START_BODY : this.#script.stateBody(n));
    if (latency === 0) return Promise.resolve(answer(bodyOf()));
    return this.#delayed(latency, init.signal ?? null, bodyOf);
  };

  #delayed(latency: number, signal: AbortSignal | null, bodyOf: () => string): Promise<Response> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        this.inFlight -= 1;
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = (): void => {
        clearTimeout(timer);
        settle();
        reject(aborted());
      };
      const timer = setTimeout(() => {
        settle();
        resolve(answer(bodyOf()));
      }, latency);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort);
    });
  }
}
