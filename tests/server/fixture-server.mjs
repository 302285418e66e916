#!/usr/bin/env node
// A search-agent server for the wasm test suites, on 127.0.0.1. The organization slug picks the
// scenario: `{scenario}_{anything}` (for example `legacy_t3`), so every test gets its own run
// counters and request log. `GET /__log/{orgSlug}` returns the requests that org received.
//
// Usage: fixture-server.mjs [-- command args...]  runs the command with ASK_SEER_TEST_SERVER set
// and stops the server when it exits, with its exit code.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const fixtures = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures");
const fixture = (name) => readFileSync(join(fixtures, name), "utf8");
const port = Number(process.env.ASK_SEER_TEST_PORT ?? 8787);

const json = (status, body, headers = {}) => ({ status, body, headers: { "Content-Type": "application/json", ...headers } });
const file = (status, name) => json(status, fixture(name));

/** Start answers by scenario. */
const starts = {
  uuid: () => file(200, "start-uuid.json"),
  picked: () => file(200, "start-uuid-picked-up.json"),
  legacy: () => file(200, "start-legacy.json"),
  retry: () => file(500, "start-500-retry-token.json"),
  noids: () => json(200, '{"run_id": null, "sentry_run_id": "not-a-uuid"}'),
  badrequest: () => json(400, '{"natural_language_query": ["This field is required."]}'),
  forbidden: () => json(403, '{"detail": "You do not have access to this feature."}'),
  crash: () => json(500, '{"detail": "Internal error"}'),
  html: () => ({ status: 502, body: "<html><body>Bad Gateway</body></html>", headers: { "Content-Type": "text/html" } }),
  garbage: () => json(200, "{not json"),
};

/** State answers by scenario, one per poll; the last repeats. */
const states = {
  default: [() => file(200, "state-pending.json"), () => file(200, "state-processing.json"), () => file(200, "state-completed.json")],
  pending: [() => file(200, "state-pending.json")],
  processing: [() => file(200, "state-processing.json")],
  completed: [() => file(200, "state-completed.json")],
  unsupported: [() => file(200, "state-unsupported.json")],
  failed: [() => file(200, "state-error.json")],
  notfound: [() => file(404, "state-404-not-found.json")],
  invalid: [() => file(400, "state-400-invalid-run-id.json")],
  forbidden: [() => json(403, '{"detail": "You do not have access to this feature."}')],
  crash: [() => json(500, '{"detail": "Internal error"}')],
  html: [() => ({ status: 502, body: "<html><body>Bad Gateway</body></html>", headers: { "Content-Type": "text/html" } })],
  empty: [() => ({ status: 503, body: "", headers: {} })],
  throttled: [() => json(429, '{"detail": "Slow down"}', { "Retry-After": "1" }), () => file(200, "state-completed.json")],
  garbage: [() => json(200, "<html>not json</html>")],
  slow: [() => ({ ...file(200, "state-processing.json"), delayMs: 2000 })],
};

const logs = new Map();
const counters = new Map();

function route(method, path) {
  const match = /^\/api\/0\/organizations\/([^/]+)\/search-agent\/(start|state\/([^/]+))\/$/.exec(path);
  if (!match) return json(404, '{"detail": "No such endpoint"}');
  const [, org, endpoint] = match;
  const scenario = org.split("_")[0];
  if (endpoint === "start") {
    if (method !== "POST") return json(405, '{"detail": "Method not allowed"}');
    return (starts[scenario] ?? starts.uuid)();
  }
  if (method !== "GET") return json(405, '{"detail": "Method not allowed"}');
  const sequence = states[scenario] ?? states.default;
  const n = counters.get(org) ?? 0;
  counters.set(org, n + 1);
  return sequence[Math.min(n, sequence.length - 1)]();
}

const server = createServer((req, res) => {
  const cors = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST",
    "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "*",
    "Access-Control-Expose-Headers": "Retry-After",
  };
  let body = "";
  req.on("data", (chunk) => (body += chunk));
  req.on("end", () => {
    const path = new URL(req.url, "http://127.0.0.1").pathname;
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    const logPath = /^\/__log\/([^/]+)$/.exec(path);
    if (logPath) {
      res.writeHead(200, { ...cors, "Content-Type": "application/json" }).end(JSON.stringify(logs.get(logPath[1]) ?? []));
      return;
    }
    const org = /^\/api\/0\/organizations\/([^/]+)\//.exec(path)?.[1];
    if (org) {
      const entries = logs.get(org) ?? [];
      entries.push({ method: req.method, path, headers: req.headers, body });
      logs.set(org, entries);
    }
    const answer = route(req.method, path);
    setTimeout(() => res.writeHead(answer.status, { ...cors, ...answer.headers }).end(answer.body), answer.delayMs ?? 0);
  });
});

server.listen(port, "127.0.0.1", () => {
  const url = `http://127.0.0.1:${port}`;
  const separator = process.argv.indexOf("--");
  if (separator < 0) {
    console.log(`fixture server on ${url}`);
    return;
  }
  const [command, ...args] = process.argv.slice(separator + 1);
  const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ASK_SEER_TEST_SERVER: url } });
  child.on("exit", (code, signal) => {
    server.close();
    server.closeAllConnections();
    process.exitCode = code ?? (signal ? 1 : 0);
  });
});
