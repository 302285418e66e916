/**
 * The Vite plugin that puts a search agent behind `/api/0` for the dev and preview servers:
 * the simulator, or with `SENTRY_URL` and `SENTRY_AUTH_TOKEN` set, a proxy to that Sentry
 * that adds the token server-side (the browser never sees it).
 */
import type { Connect, Plugin, ProxyOptions } from "vite";
import { BACKEND_INFO_PATH, type BackendInfo } from "../src/backendInfo.ts";
import { simulatorMiddleware } from "./middleware.ts";
import { SearchAgentSimulator } from "./simulator.ts";

/** The organization and projects the simulated backend uses. */
const SIMULATED: BackendInfo = { mode: "simulated", orgSlug: "acme", projectIds: [-1], target: null };

interface Backend {
  info: BackendInfo;
  simulator: SearchAgentSimulator | null;
  proxy: Record<string, ProxyOptions> | null;
}

function projectIdsFrom(value: string | undefined): number[] {
  if (value === undefined || value.trim() === "") return [-1];
  const ids = value.split(",").map((part) => Number(part.trim()));
  if (!ids.every((id) => Number.isInteger(id))) throw new Error(`SENTRY_PROJECT_IDS must be integers separated by commas, not ${value}`);
  return ids;
}

/** Reads the backend from the environment: `SENTRY_URL`, `SENTRY_AUTH_TOKEN`, `SENTRY_ORG`, `SENTRY_PROJECT_IDS`. */
export function backendFromEnv(env: NodeJS.ProcessEnv): Backend {
  const url = env.SENTRY_URL?.trim() ?? "";
  const token = env.SENTRY_AUTH_TOKEN?.trim() ?? "";
  if (url === "" && token === "") return { info: SIMULATED, simulator: new SearchAgentSimulator(), proxy: null };
  if (url === "" || token === "") throw new Error("Set both SENTRY_URL and SENTRY_AUTH_TOKEN to proxy to Sentry, or neither to use the simulator.");
  const orgSlug = env.SENTRY_ORG?.trim() ?? "";
  if (orgSlug === "") throw new Error("SENTRY_ORG must name the organization when proxying to Sentry.");
  const target = new URL(url).origin;
  const proxy: ProxyOptions = {
    target,
    changeOrigin: true,
    configure: (server) => {
      server.on("proxyReq", (outgoing) => {
        outgoing.setHeader("authorization", `Bearer ${token}`);
        outgoing.removeHeader("cookie");
        outgoing.removeHeader("origin");
        outgoing.removeHeader("referer");
      });
    },
  };
  return {
    info: { mode: "proxy", orgSlug, projectIds: projectIdsFrom(env.SENTRY_PROJECT_IDS), target },
    simulator: null,
    proxy: { "/api/0": proxy },
  };
}

/** The plugin; `env` is read once, when the config loads. */
export function askSeerBackend(env: NodeJS.ProcessEnv = process.env): Plugin {
  const backend = backendFromEnv(env);
  const install = (middlewares: Connect.Server, log: (message: string) => void): void => {
    middlewares.use(BACKEND_INFO_PATH, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(backend.info));
    });
    if (backend.simulator) middlewares.use(simulatorMiddleware(backend.simulator));
    log(
      backend.info.mode === "proxy"
        ? `  Search agent: Sentry at ${backend.info.target ?? ""}, organization ${backend.info.orgSlug} (token added server-side)`
        : "  Search agent: simulated (pick a scenario in the dev panel or with ?scenario=NAME)",
    );
  };
  return {
    name: "ask-seer-backend",
    config: () => (backend.proxy ? { server: { proxy: backend.proxy }, preview: { proxy: backend.proxy } } : {}),
    configureServer: (server) => {
      install(server.middlewares, (message) => { server.config.logger.info(message); });
    },
    configurePreviewServer: (server) => {
      install(server.middlewares, (message) => { server.config.logger.info(message); });
    },
  };
}
