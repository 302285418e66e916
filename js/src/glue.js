// The few things that are plain JavaScript: the error class, reading, sharing and freezing JSON values, the clock, globals.

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

/** Freezes plain data (objects and arrays) all the way down, skipping what is frozen already; returns it. No recursion, however deep. */
export function deepFreeze(value) {
  const stack = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item !== "object" || item === null || Object.isFrozen(item)) continue;
    Object.freeze(item);
    const children = Array.isArray(item) ? item : Object.values(item);
    for (let i = 0; i < children.length; i += 1) stack.push(children[i]);
  }
  return value;
}

/** How deep structural sharing looks; below, parts are compared by identity only. */
const SHARE_DEPTH = 64;

/**
 * Structural sharing: `prev` when `next` is deep-equal to it; else `next`, in which every part
 * deep-equal to the part of `prev` at the same place is replaced by that part. `next` is changed
 * in place (where it is not frozen), so it stays the object it was: the one `JSON.parse` made.
 */
function share(prev, next, depth) {
  if (prev === next) return prev;
  if (typeof prev !== "object" || prev === null || typeof next !== "object" || next === null) return next;
  if (depth > SHARE_DEPTH || Array.isArray(prev) !== Array.isArray(next)) return next;
  const keys = Object.keys(next);
  let equal = keys.length === Object.keys(prev).length;
  const open = !Object.isFrozen(next);
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i];
    const before = Object.hasOwn(prev, key) ? prev[key] : undefined;
    const part = next[key];
    const kept = before === undefined ? part : share(before, part, depth + 1);
    if (kept !== part && open) {
      // A "__proto__" key is data: assigning it would set the prototype instead.
      if (key === "__proto__") Object.defineProperty(next, key, { value: kept, writable: true, enumerable: true, configurable: true });
      else next[key] = kept;
    }
    equal &&= kept === before;
  }
  return equal ? prev : next;
}

/** The snapshot to publish: `next` sharing every part equal to `prev`'s, deeply frozen. */
export function publish(prev, next) {
  return deepFreeze(share(prev, next, 0));
}

/** What a value is, as the crate's `Kind`: null, boolean, number, string, array, object, other. */
export function kindOf(value) {
  switch (typeof value) {
    case "boolean":
      return 1;
    case "number":
      return 2;
    case "string":
      return 3;
    case "object":
      return value === null ? 0 : Array.isArray(value) ? 4 : 5;
    default:
      return 6;
  }
}

/** The own property `key` of an object that is not an array; `undefined` otherwise, or when reading it throws. */
export function ownField(value, key) {
  try {
    return typeof value === "object" && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
  } catch {
    return undefined;
  }
}

/** `Object.entries`; throws what reading the object throws. */
export function ownEntries(value) {
  return Object.entries(value);
}

/** `JSON.stringify`; throws for what JSON cannot hold (a cycle, a BigInt). */
export function stringify(value) {
  return JSON.stringify(value);
}

/** `JSON.parse`; throws a `SyntaxError` saying where the text stops being JSON. */
export function parseJson(text) {
  return JSON.parse(text);
}

/** The length of `text` in UTF-8 bytes when it is over `limit`, else `undefined`; counted only when it may be. */
export function utf8LengthOver(text, limit) {
  if (text.length * 3 <= limit) return undefined;
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    // Two bytes more from U+0800 on; a surrogate pair (four bytes) is two units of one byte more each.
    if (unit >= 0x80) bytes += unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 1 : 2;
  }
  return bytes > limit ? bytes : undefined;
}

/** The message of a thrown value: its `message` when that is a string, else the value when it is one. */
export function messageOf(thrown) {
  try {
    if (typeof thrown?.message === "string") return thrown.message;
  } catch {
    // A `message` getter that throws says nothing.
  }
  return typeof thrown === "string" ? thrown : "unknown failure";
}

/** A `fetch` answer read in full: `{status, body, retryAfter, at}`, `at` the wall clock when it arrived. */
async function read(response) {
  const body = await response.text();
  return { status: response.status, body, retryAfter: response.headers?.get("Retry-After") ?? null, at: Date.now() };
}

/**
 * Calls `fetch` with the package's request settings, then `settle` with the answer read in full,
 * or with the message of what `fetch` or reading threw (a string); returns what `settle` returns,
 * as a promise.
 */
export function exchange(fetch, url, post, headers, body, signal, settle) {
  const init = { method: post ? "POST" : "GET", headers, credentials: "same-origin", signal };
  if (body !== undefined) init.body = body;
  return new Promise((resolve) => resolve(fetch(url, init)))
    .then(read)
    .catch(messageOf)
    .then(settle);
}

/** `exchange` under a new `AbortController`, which it returns, settling with `deliver(id, settled)`. */
export function send(fetch, url, post, headers, body, deliver, id) {
  const controller = new AbortController();
  exchange(fetch, url, post, headers, body, controller.signal, (settled) => deliver(id, settled));
  return controller;
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
