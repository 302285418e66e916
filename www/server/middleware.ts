/**
 * Serves the simulator over HTTP: the search-agent endpoints under `/api/0`, and for tests
 * `GET /__sim/requests` (the request log), `POST /__sim/reset` (forget runs and log),
 * `POST /__sim/restart` (forget runs, as a restarted server does) and `POST /__sim/latency`
 * (`{"stateMs": n}`: hold every later state answer back n ms).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SCENARIO_HEADER } from "../src/scenarios.ts";
import type { SearchAgentSimulator } from "./simulator.ts";

/** A connect-style handler, as Vite's dev and preview servers take them. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(value));
}

async function serveApi(sim: SearchAgentSimulator, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const header = req.headers[SCENARIO_HEADER];
  const body = await readBody(req);
  const answer = sim.handle({
    method: req.method ?? "GET",
    path,
    scenario: Array.isArray(header) ? header[0] : header,
    authorization: req.headers.authorization,
    body,
  });
  res.on("close", () => {
    sim.ended(answer.seq);
  });
  setTimeout(() => {
    if (res.destroyed) return;
    const headers = { ...answer.headers, "cache-control": "no-store" };
    if (answer.dropAfterBytes === undefined) {
      res.writeHead(answer.status, headers);
      res.end(answer.body);
      return;
    }
    // The whole length is announced, part of it sent, then the connection goes.
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, { ...headers, "content-length": String(body.length) });
    res.write(body.subarray(0, answer.dropAfterBytes), () => {
      res.destroy();
    });
  }, answer.delayMs);
}

/** The `stateMs` of a latency request, or `null` when it is not a non-negative integer. */
function latencyOf(body: string): number | null {
  try {
    const value: unknown = JSON.parse(body);
    const ms = typeof value === "object" && value !== null ? (value as Record<string, unknown>).stateMs : undefined;
    return typeof ms === "number" && Number.isInteger(ms) && ms >= 0 ? ms : null;
  } catch {
    return null;
  }
}

async function setLatency(sim: SearchAgentSimulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const ms = latencyOf(await readBody(req));
  if (ms === null) {
    sendJson(res, 400, { detail: 'Send {"stateMs": <non-negative integer>}' });
    return;
  }
  sim.setStateDelay(ms);
  res.writeHead(204).end();
}

/** The middleware serving `sim`. Requests it does not own go to `next`. */
export function simulatorMiddleware(sim: SearchAgentSimulator): Middleware {
  return (req, res, next) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/__sim/requests" && req.method === "GET") {
      sendJson(res, 200, { requests: sim.requests() });
    } else if (path === "/__sim/reset" && req.method === "POST") {
      sim.reset();
      res.writeHead(204).end();
    } else if (path === "/__sim/restart" && req.method === "POST") {
      sim.restart();
      res.writeHead(204).end();
    } else if (path === "/__sim/latency" && req.method === "POST") {
      setLatency(sim, req, res).catch(() => {
        sendJson(res, 400, { detail: "Could not read the request" });
      });
    } else if (path.startsWith("/api/0/")) {
      serveApi(sim, req, res, path).catch(() => {
        sendJson(res, 400, { detail: "Could not read the request" });
      });
    } else {
      next();
    }
  };
}
