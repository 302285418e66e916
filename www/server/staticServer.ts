/**
 * A plain static file server for a production build, as any host would serve it: files from one
 * folder, the same response headers on every answer (such as a Content-Security-Policy), and an
 * optional middleware in front, such as the simulated search agent.
 */
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";

/** A connect-style handler: answers, or calls `next` for the files. */
export type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** What to serve. */
export interface StaticOptions {
  /** Sent with every answer, the middleware's included. */
  headers?: Readonly<Record<string, string>>;
  /** Tried before the files. */
  middleware?: Handler;
}

/** A running server; `url` is its origin, without a trailing slash. */
export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The file under `root` that `url` names, or `null` when it would leave `root`. */
function fileFor(root: string, url: string | undefined): string | null {
  let path: string;
  try {
    path = normalize(decodeURIComponent(new URL(url ?? "/", "http://127.0.0.1").pathname));
  } catch {
    return null;
  }
  const file = join(root, path.endsWith(sep) || path.endsWith("/") ? `${path}index.html` : path);
  return file.startsWith(join(root, sep)) ? file : null;
}

/** Serves `root` on a free port of 127.0.0.1. */
export async function serveStatic(root: string, options: StaticOptions = {}): Promise<StaticServer> {
  const files = (req: IncomingMessage, res: ServerResponse): void => {
    const file = fileFor(root, req.url);
    if (file === null) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => {
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        res.end(body);
      },
      () => {
        res.writeHead(404).end();
      },
    );
  };
  const server = createServer((req, res) => {
    for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
    if (options.middleware) options.middleware(req, res, () => { files(req, res); });
    else files(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => { resolve(); });
      }),
  };
}
