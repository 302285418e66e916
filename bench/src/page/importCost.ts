/**
 * The import-cost page (`import.html`), loaded fresh for each sample: from `import()` of one
 * library's chunk to a client made with it. The chunks (`import/*.js`, see `bundle.ts`) are the
 * package's default entry and `@tanstack/query-core`, each bundled on its own with
 * `esbuild --minify`, as an application's bundler splits a lazily imported library.
 */
import type * as QueryCore from "@tanstack/query-core";
import type * as AskSeerPolling from "ask-seer-polling";
import { IMPORT_CHUNKS, type ImportSample, type ImportTarget } from "../shared/api";
import { ORG_SLUG, PROJECT_IDS, STRATEGY } from "./clients/run";

declare global {
  interface Window {
    importCost: (target: ImportTarget) => Promise<ImportSample>;
  }
}

/** Imports the chunk and returns what makes the client and then drops it. */
type Loader = (url: string) => Promise<() => () => void>;

const LOADERS: Record<ImportTarget, Loader> = {
  "ask-seer-polling": async (url) => {
    const { AskSeerPoller } = (await import(url)) as typeof AskSeerPolling;
    return () => {
      const poller = new AskSeerPoller({ orgSlug: ORG_SLUG, projectIds: PROJECT_IDS, strategy: STRATEGY });
      return () => {
        poller.dispose();
      };
    };
  },
  "@tanstack/query-core": async (url) => {
    const { QueryClient, QueryObserver } = (await import(url)) as typeof QueryCore;
    return () => {
      const client = new QueryClient();
      const observer = new QueryObserver(client, {
        queryKey: ["ask-seer-state"],
        queryFn: () => Promise.resolve(null),
        enabled: false,
      });
      return () => {
        observer.destroy();
        client.clear();
      };
    };
  },
};

window.importCost = async (target) => {
  const url = new URL(IMPORT_CHUNKS[target], import.meta.url).href;
  const started = performance.now();
  const make = await LOADERS[target](url);
  const imported = performance.now();
  const drop = make();
  const made = performance.now();
  drop();
  return { importMs: imported - started, makeMs: made - imported, totalMs: made - started };
};
