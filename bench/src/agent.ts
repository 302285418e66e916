/**
 * The app's simulated search agent (`www/server/`), served next to the bench page, on a clock
 * that runs `speed` times faster than real time so that its runs take a chosen real duration.
 */
import { simulatorMiddleware } from "../../www/server/middleware.ts";
import { SearchAgentSimulator, type LoggedRequest } from "../../www/server/simulator.ts";
import type { Handler } from "../../www/server/staticServer.ts";

/** How long, on its own clock, the agent takes to finish a run with an answer. */
const AGENT_RUN_MS = 3900;

export class SimulatedAgent {
  #origin = Date.now();
  #speed = 1;
  #simulator = new SearchAgentSimulator();
  #middleware = simulatorMiddleware(this.#simulator);

  /** Serves `/api/0` (and the agent's log) with the agent of the last {@link restart}. */
  readonly handler: Handler = (req, res, next) => {
    this.#middleware(req, res, next);
  };

  /** A fresh agent, with no runs, whose runs take `runMs` of real time. */
  restart(runMs: number): void {
    const origin = Date.now();
    const speed = AGENT_RUN_MS / runMs;
    this.#origin = origin;
    this.#speed = speed;
    this.#simulator = new SearchAgentSimulator(() => origin + (Date.now() - origin) * speed);
    this.#middleware = simulatorMiddleware(this.#simulator);
  }

  /** A time on the agent's clock (ms since the epoch) as real time. */
  realTime(agentMs: number): number {
    return this.#origin + (agentMs - this.#origin) / this.#speed;
  }

  requests(): readonly LoggedRequest[] {
    return this.#simulator.requests();
  }
}
