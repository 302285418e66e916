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
export function watchPage(changed) {
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

/** The function that takes `listener` out of `listeners`, calling `emptied` when it took the last one. */
export function unsubscriber(listeners, listener, emptied) {
  return () => {
    if (listeners.delete(listener) && listeners.size === 0) emptied();
  };
}

/** Whether `a` and `b` are the same value, or plain data (objects, arrays) of the same values. */
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && same(a[key], b[key]));
}

/** Plain data copied all the way down; anything else (a function) as it is. */
function copy(value) {
  if (typeof value !== "object" || value === null) return value;
  const copied = Array.isArray(value) ? [] : {};
  for (const key of Object.keys(value)) copied[key] = copy(value[key]);
  return copied;
}

/** The fields of `options` over those of `config` (none when undefined), copied; `undefined` when `config` has them all. */
export function mergeOptions(config, options) {
  const keys = Object.keys(options);
  if (config !== undefined && keys.every((key) => same(config[key], options[key]))) return undefined;
  const merged = { ...config };
  for (const key of keys) merged[key] = copy(options[key]);
  return merged;
}

/** Reports an exception thrown by a listener or callback without unwinding through the poller. */
export function reportLater(error) {
  queueMicrotask(() => {
    throw error;
  });
}
