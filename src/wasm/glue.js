// The few things that are plain JavaScript: the error class, JSON parsing and freezing, the clock, globals.

/** Every failure the package reports. */
export class AskSeerError extends Error {
  constructor(kind, message, status, detail) {
    super(message);
    this.name = "AskSeerError";
    this.kind = kind;
    this.status = status ?? null;
    this.detail = detail ?? null;
  }
}

export function makeError(kind, message, status, detail) {
  return new AskSeerError(kind, message, status, detail);
}

export function instanceOfAskSeerError(value) {
  return value instanceof AskSeerError;
}

/** Freezes plain data (objects and arrays) all the way down, skipping what is frozen already; returns it. */
export function deepFreeze(value) {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    const items = Array.isArray(value) ? value : Object.values(value);
    for (let i = 0; i < items.length; i += 1) deepFreeze(items[i]);
  }
  return value;
}

/** `JSON.parse`; throws a `SyntaxError` saying where the text stops being JSON. */
export function parseJson(text) {
  return JSON.parse(text);
}

/** Calls `fetch` with the package's request settings; what it returns, as a promise. */
export function send(fetch, url, method, headers, body, signal) {
  const init = { method, headers, credentials: "same-origin", signal };
  if (body !== undefined) init.body = body;
  return Promise.resolve(fetch(url, init));
}

/**
 * Waits for a `fetch` answer and its text in one step: `{status, body, retryAfter, at}`, the body
 * cut to `limit` characters and `at` the wall clock when it arrived.
 */
export async function readAnswer(sent, limit) {
  const response = await sent;
  const text = await response.text();
  return {
    status: response.status,
    body: text.length > limit ? text.slice(0, limit) : text,
    retryAfter: response.headers?.get("Retry-After") ?? null,
    at: Date.now(),
  };
}

/** A plain-data copy of `value` through JSON, or `null` when it has none (cycles, BigInt, throwing getters). */
export function plainCopy(value) {
  try {
    return JSON.parse(JSON.stringify(value) ?? "null");
  } catch {
    return null;
  }
}

/** Milliseconds on a monotonic clock. */
export function monotonicNow() {
  return performance.now();
}

/** The global `fetch`, bound to the global object, or undefined. */
export function globalFetch() {
  return typeof globalThis.fetch === "function" ? globalThis.fetch.bind(globalThis) : undefined;
}

/** Calls `changed(visible, online)` now and on each visibility or connectivity event; returns the unwatch function. */
function watchPage(changed) {
  const page = typeof document !== "undefined" ? document : undefined;
  const connectivity =
    typeof globalThis.addEventListener === "function" && typeof globalThis.navigator?.onLine === "boolean";
  const listeners = [];
  if (page) listeners.push([page, "visibilitychange"]);
  if (connectivity) listeners.push([globalThis, "online"], [globalThis, "offline"]);
  const report = () =>
    changed(page?.visibilityState !== "hidden", !connectivity || globalThis.navigator?.onLine !== false);
  const stop = () => {
    for (const [target, type] of listeners) target.removeEventListener(type, report);
  };
  try {
    for (const [target, type] of listeners) target.addEventListener(type, report);
  } catch (thrown) {
    stop();
    throw thrown;
  }
  report();
  return stop;
}

/** `update(running?)`: runs `watchPage(changed)` while running (the last said) or while `listeners` has any. */
export function pageWatch(listeners, changed) {
  let running = false;
  let stop;
  return (run = running) => {
    running = run;
    if (running || listeners.size > 0) {
      if (stop) return;
      // Set first: `changed` reports the page at once, which updates again.
      stop = () => {};
      stop = watchPage(changed);
    } else {
      stop?.();
      stop = undefined;
    }
  };
}

/** The function that takes `listener` out of `listeners`, then calls `update()`. */
export function unsubscriber(listeners, listener, update) {
  return () => {
    listeners.delete(listener);
    update();
  };
}

const TEXT = Symbol("text");
let functions = 0;
const functionIds = new WeakMap();

/** A JSON replacer writing each function as an object of its own. */
function functionsById(_key, value) {
  if (typeof value !== "function") return value;
  if (!functionIds.has(value)) functionIds.set(value, { "\0function": (functions += 1) });
  return functionIds.get(value);
}

/** `options` over `config` in a new object, or `undefined` when their JSON text (functions by identity) is unchanged. */
export function mergeOptions(config, options) {
  const merged = { ...config, ...options };
  try {
    merged[TEXT] = JSON.stringify(merged, functionsById);
  } catch {
    merged[TEXT] = null;
  }
  return merged[TEXT] !== null && merged[TEXT] === config?.[TEXT] ? undefined : merged;
}

/** Reports an exception thrown by a listener or callback without unwinding through the poller. */
export function reportLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}
