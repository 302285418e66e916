/**
 * A production build served as a host would serve it, under a Content-Security-Policy, with the
 * simulated search agent behind `/api/0`: what the CSP suites of every engine share.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before } from "node:test";
import { simulatorMiddleware } from "../server/middleware.ts";
import { backendFromEnv } from "../server/plugin.ts";
import { serveStatic, type Handler, type StaticServer } from "../server/staticServer.ts";
import { BACKEND_INFO_PATH } from "../src/backendInfo.ts";

/** The policy docs/content-security-policy.md states: WebAssembly is the one thing beyond `'self'` it allows. */
export const STRICT_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");
/** The same policy without `'wasm-unsafe-eval'`. */
export const NO_WASM_POLICY = STRICT_POLICY.replace(" 'wasm-unsafe-eval'", "");

/** Where a served page sends its violation reports (`report-uri`), when asked to. */
const REPORTS_PATH = "/__csp-reports";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The simulated backend as the dev server mounts it: the page's backend info and the agent. */
function simulatedBackend(): Handler {
  const backend = backendFromEnv({});
  if (backend.simulator === null) throw new Error("expected the simulated agent");
  const agent = simulatorMiddleware(backend.simulator);
  return (req, res, next) => {
    if (req.url !== BACKEND_INFO_PATH) {
      agent(req, res, next);
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(backend.info));
  };
}

/** In front of `next`: keeps every violation report the page posts to {@link REPORTS_PATH}. */
function reportCollector(reports: string[], next: Handler): Handler {
  return (req, res, files) => {
    if (req.url !== REPORTS_PATH) {
      next(req, res, files);
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      reports.push(body);
      res.writeHead(204).end();
    });
  };
}

/**
 * The build in `outDir` served under `policy` for the tests of one `describe`. With `collectReports`
 * the policy also names a `report-uri`, and `reports` holds what the page posted there: this
 * sees every violation from the page's first script on in any engine, without hooks in the page.
 */
export function served(outDir: string, policy: string, collectReports = false) {
  const state: { server?: StaticServer; reports: string[] } = { reports: [] };
  before(async () => {
    const header = collectReports ? `${policy}; report-uri ${REPORTS_PATH}` : policy;
    const middleware = collectReports ? reportCollector(state.reports, simulatedBackend()) : simulatedBackend();
    state.server = await serveStatic(join(ROOT, outDir), { headers: { "content-security-policy": header }, middleware });
  });
  after(async () => {
    await state.server?.close();
  });
  return {
    get url(): string {
      if (!state.server) throw new Error("not serving");
      return state.server.url;
    },
    /** The violation reports received so far (with `collectReports`). */
    get reports(): readonly string[] {
      return state.reports;
    },
  };
}
