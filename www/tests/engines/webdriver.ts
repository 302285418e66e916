/**
 * Firefox and WebKit over W3C WebDriver: each engine's own WebDriver server (geckodriver;
 * WebKitGTK's WebKitWebDriver, which drives its MiniBrowser) on a free port of 127.0.0.1, one
 * WebdriverIO session per test file (a new one should the browser lose it between tests), and the
 * page's parts by the same names as the Chromium suites' `askSeer`.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { Key, remote } from "webdriverio";
import { eventually } from "../harness.ts";

export type EngineName = "firefox" | "webkit";

interface Engine {
  /** What the tests call it. */
  readonly label: string;
  /** The `browserName` its sessions report: the engine is the one meant, not some other browser. */
  readonly browserName: string;
  /** The WebDriver server's command line on `port`. */
  readonly command: (port: number) => string[];
  /** The browser shows windows: without a display, the server runs under `xvfb-run`. */
  readonly needsDisplay: boolean;
  readonly capabilities: WebdriverIO.Capabilities;
  /**
   * How a test takes the page offline: `network`, the browser's own network emulation (WebDriver
   * BiDi's `emulation.setNetworkConditions`: requests fail, `navigator.onLine` is false and the
   * page gets `offline`); `events`, only what the page sees of it, `navigator.onLine` and the
   * `offline`/`online` events, scripted, where the driver has no such command.
   */
  readonly offline: "network" | "events";
  /**
   * Whether the engine reports the blocked compile of WebAssembly as a policy violation (a
   * `report-uri` report, a `securitypolicyviolation` event). Firefox refuses `WebAssembly.Module()`
   * and reports it; WebKitGTK 2.50 compiles the module, refuses `new WebAssembly.Instance` with an
   * error that names the policy, and reports nothing (it does report a blocked `eval`).
   */
  readonly reportsBlockedWasm: boolean;
}

const ENGINES: Readonly<Record<EngineName, Engine>> = {
  firefox: {
    label: "Firefox",
    browserName: "firefox",
    // By path: npm's PATH puts the `geckodriver` of node_modules first, which downloads one.
    command: (port) => [process.env.GECKODRIVER ?? join(homedir(), ".cargo", "bin", "geckodriver"), "--host", "127.0.0.1", "--port", String(port), "--log", "error"],
    needsDisplay: false,
    // geckodriver makes a fresh profile for each session.
    capabilities: {
      browserName: "firefox",
      "moz:firefoxOptions": { binary: process.env.FIREFOX_BINARY ?? "/usr/bin/firefox-esr", args: ["-headless"] },
    },
    offline: "network",
    reportsBlockedWasm: true,
  },
  webkit: {
    label: "WebKit",
    browserName: "MiniBrowser",
    command: (port) => [process.env.WEBKIT_WEBDRIVER ?? "WebKitWebDriver", `--port=${String(port)}`],
    needsDisplay: true,
    // WebKitWebDriver starts its MiniBrowser in automation mode; it speaks WebDriver classic only.
    capabilities: { "wdio:enforceWebDriverClassic": true },
    offline: "events",
    reportsBlockedWasm: false,
  },
};

/** A free TCP port of 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** Starts `engine`'s WebDriver server; `stop` ends it and everything it started. */
async function startDriver(engine: Engine): Promise<{ port: number; stop: () => void }> {
  const port = await freePort();
  const command = engine.command(port);
  const argv = engine.needsDisplay && !process.env.DISPLAY ? ["xvfb-run", "-a", ...command] : command;
  const [file = "", ...args] = argv;
  // Its own process group, so that stopping it ends the browser and Xvfb with it.
  const child = spawn(file, args, { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let failed: Error | undefined;
  child.on("error", (error) => (failed = error));
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  };
  try {
    await eventually(`${argv.join(" ")} to listen`, async () => {
      if (failed) throw failed;
      if (child.exitCode !== null) throw new Error(`${file} exited with ${String(child.exitCode)}: ${stderr}`);
      return fetch(`http://127.0.0.1:${String(port)}/status`).then(
        (response) => (response.ok ? true : undefined),
        () => undefined,
      );
    }, 30_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { port, stop };
}

export type Session = WebdriverIO.Browser;

/**
 * A script that makes the page report `online` and fires the event a browser fires when the
 * network comes and goes.
 */
function connectivityScript(online: boolean): string {
  return `
    Object.defineProperty(Navigator.prototype, "onLine", { configurable: true, get() { return ${String(online)}; } });
    window.dispatchEvent(new Event("${online ? "online" : "offline"}"));
  `;
}

/** One session of `name` for the tests of a file: its driver started before them, both ended after. */
export function useEngine(name: EngineName) {
  const engine = ENGINES[name];
  const state: { session?: Session; stop?: () => void; port?: number } = {};
  const open = async (port: number): Promise<Session> => {
    const session = await remote({
      hostname: "127.0.0.1",
      port,
      path: "/",
      logLevel: "warn",
      connectionRetryCount: 0,
      // A command still unanswered after a minute fails (the default waits two).
      connectionRetryTimeout: 60_000,
      capabilities: engine.capabilities,
    });
    const { browserName, browserVersion } = session.capabilities;
    if (browserName !== engine.browserName) throw new Error(`expected ${engine.browserName}, got ${String(browserName)} ${String(browserVersion)}`);
    await session.setWindowSize(1280, 900);
    return session;
  };
  before(async () => {
    const driver = await startDriver(engine);
    state.stop = driver.stop;
    state.port = driver.port;
    state.session = await open(driver.port);
  });
  after(async () => {
    try {
      await state.session?.deleteSession();
    } finally {
      state.stop?.();
    }
  });
  const get = (): Session => {
    if (!state.session) throw new Error(`no ${engine.label} session`);
    return state.session;
  };
  return {
    label: engine.label,
    offline: engine.offline,
    reportsBlockedWasm: engine.reportsBlockedWasm,
    get,
    /**
     * Opens `url` between tests. When the browser lost the session while it sat on the last
     * test's page (WebKitGTK's driver deletes it when its web process crashes), that test had
     * already passed: this says so on stderr and opens `url` in a new session.
     */
    async between(url: string): Promise<void> {
      try {
        await get().url(url);
      } catch (error) {
        if (!/invalid session id|session deleted/i.test(String(error)) || state.port === undefined) throw error;
        console.warn(`${engine.label} lost its session between tests, opening a new one: ${String(error)}`);
        state.session = await open(state.port);
        await state.session.url(url);
      }
    },
    /** Takes the current page offline or back online, as {@link Engine.offline} says. */
    async setOffline(offline: boolean): Promise<void> {
      const session = get();
      if (engine.offline === "events") {
        await session.execute(connectivityScript(!offline));
        return;
      }
      const context = await session.getWindowHandle();
      await session.emulationSetNetworkConditions({ networkConditions: offline ? { type: "offline" } : null, contexts: [context] });
    },
  };
}

/** The page's parts, as `askSeer` names them, by CSS: WebDriver finds no elements by role. */
export function seerIn(session: Session) {
  const queries = `section[aria-label="Seer's queries"]`;
  // Getters: each use finds the element anew, as a page that re-renders or reloads needs.
  return {
    get input() {
      return session.$(`input[type="search"][aria-label="Ask Seer"]`);
    },
    get askButton() {
      return session.$(`section.ask-seer form button[type="submit"]`);
    },
    get tryAgain() {
      return session.$(`[role="alert"] button`);
    },
    get phase() {
      return session.$(`[data-testid="phase"]`);
    },
    get currentStep() {
      return session.$(".step-current");
    },
    get doneSteps() {
      return session.$$(".step-done");
    },
    get candidates() {
      return session.$$(`${queries} li.candidate`);
    },
    get bestQuery() {
      return session.$(`${queries} li.candidate`);
    },
    get alert() {
      return session.$(`[role="alert"]`);
    },
    get section() {
      return session.$(`section[aria-label="Ask Seer"]`);
    },
    /** Types `question` and presses Ask. */
    async ask(question: string): Promise<void> {
      await this.input.setValue(question);
      await this.askButton.click();
    },
    /**
     * Types `question` and presses Enter, which submits the form as the button does. In Firefox a
     * page that geckodriver has clicked in is not kept in the back/forward cache; a page the
     * user typed in is.
     */
    async askByEnter(question: string): Promise<void> {
      await this.input.setValue(`${question}${Key.Enter}`);
    },
    /** Picks the dataset `strategy`, asks `question` and returns the best query once it shows. */
    async search(strategy: string, question: string): Promise<string | null> {
      await session.$(`[role="group"][aria-label="Dataset"]`).$(`button=${strategy}`).click();
      await this.ask(question);
      await this.bestQuery.waitForExist({ timeout: 15_000 });
      return this.bestQuery.getAttribute("data-query");
    },
  };
}
