/**
 * The consumer matrix: each folder here is a minimal project for one setup. For each, this
 * copies the project outside the repository, installs its locked dependencies (cached by the
 * hash of its package.json and lockfile), installs the packed tarball over them, runs the setup's
 * own build and test, and opens its page in Chromium when it has one.
 *
 * Usage: node run.mjs TARBALL [SETUP...]
 *
 * A project's package.json says how it runs: `scripts.build` is run first; `scripts.test` checks
 * in Node; `consumer.static` is a folder served to Chromium; `scripts.serve` is a server started
 * with `PORT` and opened in Chromium. `consumer.page` makes the runner write `index.html` loading
 * that script, and `src/index.js` from `shared/page.js`; `consumer.lean` adds the check of the
 * lean entry (`shared/lean.js`). Every project gets `shared/check.js` as
 * `src/check.js` and, for CommonJS, `src/check.cjs`, and `shared/types.ts` as `src/types.mts` and
 * `src/types.cts` for the projects that type-check it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { homedir } from "node:os";
import { extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { chromium } from "playwright-core";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const SHARED = join(HERE, "shared");
const CACHE = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "ask-seer-polling", "consumers");
const CHROMIUM = JSON.parse(readFileSync(join(HERE, "..", "scripts", "chromium.json"), "utf8"));
const PAGE_TIMEOUT_MS = 30_000;
const SERVER_TIMEOUT_MS = 60_000;
/** Build outputs removed before each run, so that each run builds anew. */
const OUTPUTS = ["dist", ".next", "src", "index.html", "node_modules/.vite", "node_modules/ask-seer-polling"];

const [tarballArgument, ...only] = process.argv.slice(2);
if (tarballArgument === undefined) throw new Error("usage: node run.mjs TARBALL [SETUP...]");
const TARBALL = resolve(tarballArgument);

/** Runs a command in `cwd`; rejects with its output when it fails. */
function run(command, args, cwd, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => (code === 0 ? done(output) : fail(new Error(`${command} ${args.join(" ")} exited ${code}\n${output}`))));
  });
}

/** Removes the setup's installs for lockfiles it no longer has. */
function removeStaleInstalls(name, current) {
  if (!existsSync(CACHE)) return;
  for (const entry of readdirSync(CACHE)) {
    const path = join(CACHE, entry);
    if (path !== current && entry.startsWith(`${name}-`) && /^[0-9a-f]{16}$/.test(entry.slice(name.length + 1))) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/** The project copied into its cache folder, with its locked dependencies installed once per lockfile. */
async function prepare(name) {
  const source = join(HERE, name);
  const key = createHash("sha256")
    .update(readFileSync(join(source, "package.json")))
    .update(readFileSync(join(source, "package-lock.json")))
    .digest("hex")
    .slice(0, 16);
  const work = join(CACHE, `${name}-${key}`);
  removeStaleInstalls(name, work);
  const installed = join(work, "node_modules", ".locked-install");
  let cold = false;
  if (!existsSync(installed)) {
    cold = true;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    cpSync(source, work, { recursive: true });
    await run("npm", ["ci", "--no-audit", "--no-fund"], work);
    writeFileSync(installed, "");
  }
  for (const output of OUTPUTS) rmSync(join(work, output), { recursive: true, force: true });
  cpSync(source, work, { recursive: true });
  const check = readFileSync(join(SHARED, "check.js"), "utf8");
  mkdirSync(join(work, "src"), { recursive: true });
  writeFileSync(join(work, "src", "check.js"), check);
  writeFileSync(join(work, "src", "check.cjs"), transformSync(check, { format: "cjs" }).code);
  for (const types of ["types.mts", "types.cts"]) cpSync(join(SHARED, "types.ts"), join(work, "src", types));
  const manifest = JSON.parse(readFileSync(join(work, "package.json"), "utf8"));
  if (manifest.consumer?.page !== undefined) {
    cpSync(join(SHARED, "page.js"), join(work, "src", "index.js"));
    if (manifest.consumer.lean === true) cpSync(join(SHARED, "lean.js"), join(work, "src", "lean.js"));
    else writeFileSync(join(work, "src", "lean.js"), "export const checkLean = null;\n");
    writeFileSync(join(work, "index.html"), pageHtml(manifest.consumer.page));
  }
  await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", TARBALL], work);
  return { work, manifest, cold };
}

function pageHtml(script) {
  const type = script.startsWith("/") ? ' type="module"' : "";
  return `<!doctype html>\n<html lang="en">\n  <head><meta charset="utf-8" /><link rel="icon" href="data:," /><title>consumer</title></head>\n  <body>\n    <div id="root"></div>\n    <script${type} src="${script}"></script>\n  </body>\n</html>\n`;
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json" };

/** Serves `dir` on a free 127.0.0.1 port. */
function serveStatic(dir) {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const file = join(dir, path.endsWith("/") ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => done({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() }));
  });
}

/** A free port on 127.0.0.1. */
function freePort() {
  return new Promise((done) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

/** Starts `npm run serve` with a free `PORT` and waits until it answers. */
async function startServer(work) {
  const port = await freePort();
  const child = spawn("npm", ["run", "serve"], { cwd: work, env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const close = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  const deadline = Date.now() + SERVER_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run serve exited ${child.exitCode}\n${output}`);
    try {
      if ((await fetch(url)).ok) return { url, close };
    } catch {
      // Not listening yet.
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  close();
  throw new Error(`npm run serve did not answer on ${url}\n${output}`);
}

/** Opens `url` in Chromium and returns the page's check lines; page errors fail the check. */
async function checkPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    // Failed requests are reported below, with their URL.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) errors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname !== "/favicon.ico") errors.push(`${response.status()} ${response.url()}`);
  });
  let result;
  try {
    await page.goto(url);
    const handle = await page.waitForFunction(() => window.consumerResult, undefined, { timeout: PAGE_TIMEOUT_MS });
    result = await handle.jsonValue();
  } catch (error) {
    throw new Error(`the page reported no result\n${errors.join("\n")}`, { cause: error });
  } finally {
    await page.close();
  }
  if (!result.ok || errors.length > 0) throw new Error([...result.lines, ...errors].join("\n"));
  return result.lines;
}

/** One setup: prepare, build, test, open. Returns what it checked. */
async function runSetup(name, browser) {
  const { work, manifest, cold } = await prepare(name);
  const lines = [];
  if (manifest.scripts?.build !== undefined) await run("npm", ["run", "build"], work);
  if (manifest.scripts?.test !== undefined) lines.push(...(await run("npm", ["test"], work)).split("\n").filter((line) => /ran|rendered|unsupported|passed/.test(line)));
  if (manifest.consumer?.static !== undefined) {
    const server = await serveStatic(join(work, manifest.consumer.static));
    try {
      lines.push(...(await checkPage(browser, server.url)));
    } finally {
      server.close();
    }
  } else if (manifest.scripts?.serve !== undefined) {
    const server = await startServer(work);
    try {
      lines.push(...(await checkPage(browser, server.url)));
    } finally {
      server.close();
    }
  }
  if (lines.length === 0) throw new Error("the setup checked nothing");
  return { cold, lines };
}

const setups = readdirSync(HERE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(HERE, entry.name, "package-lock.json")))
  .map((entry) => entry.name)
  .filter((name) => only.length === 0 || only.includes(name));
if (only.some((name) => !setups.includes(name))) throw new Error(`unknown setup among ${only.join(", ")}`);

const browser = await chromium.launch(CHROMIUM);
const failures = [];
try {
  for (const name of setups) {
    const started = Date.now();
    try {
      const { cold, lines } = await runSetup(name, browser);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`ok   ${name} (${seconds} s${cold ? ", installed" : ""}): ${lines.map((line) => line.trim()).join("; ")}`);
    } catch (error) {
      failures.push(name);
      const cause = error instanceof Error && error.cause !== undefined ? `\n${String(error.cause)}` : "";
      console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
  }
} finally {
  await browser.close();
}
if (failures.length > 0) {
  console.log(`${failures.length} of ${setups.length} setups failed: ${failures.join(", ")}`);
  process.exit(1);
}
console.log(`all ${setups.length} setups passed`);
