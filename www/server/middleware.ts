/**
 * Serves the simulator over HTTP: the search-agent endpoints under `/api/0`, and for tests
 * `GET /__sim/requests` (the request log) and `POST /__sim/reset`.
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
    body,
  });
  setTimeout(() => {
    if (res.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers, "cache-control": "no-store" });
    res.end(answer.body);
  }, answer.delayMs);
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
    } else if (path.startsWith("/api/0/")) {
      serveApi(sim, req, res, path).catch(() => {
        sendJson(res, 400, { detail: "Could not read the request" });
      });
    } else {
      next();
    }
  };
}
