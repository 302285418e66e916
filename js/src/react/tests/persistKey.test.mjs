// The hook's `persistKey`, in the slot that holds its poller, against the built package
// (`make pkg`): a scripted `fetch` and an in-memory `sessionStorage`. React's effects are
// played by hand: `mount` on mount, the function it returns on unmount, and StrictMode's
// mount, unmount and mount again.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { PollerSlot } from "../../../../pkg/react/pollerSlot.js";

const UUID = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const KEY = "ask-seer-run";
const STATE = `/api/0/organizations/acme/search-agent/state/`;
const processing = { session: { status: "processing", current_step: { key: "searching" }, updated_at: "a" } };
const completed = {
  session: { status: "completed", current_step: null, final_query: "q", final_response: { query: "span.duration:>1s" } },
};

/**
 * A `fetch` answering start requests from `starts` and state requests from `states`, each in
 * order (the last repeats), each `{status, body}`; records the calls.
 */
function scripted(starts, states) {
  const calls = [];
  const queues = { POST: [...starts], GET: [...states] };
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method });
    const queue = queues[init.method];
    const next = queue.length > 1 ? queue.shift() : queue[0];
    return new Response(JSON.stringify(next.body), { status: next.status ?? 200 });
  };
  return { fetch, calls };
}

const ok = (body) => ({ status: 200, body });

/** An in-memory `Storage`; `throwing` makes every call throw, as in private mode or past the quota. */
function memoryStorage(throwing = false) {
  const items = new Map();
  const guard = () => {
    if (throwing) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
  };
  return {
    items,
    getItem: (key) => (guard(), items.get(key) ?? null),
    setItem: (key, value) => (guard(), items.set(key, String(value))),
    removeItem: (key) => (guard(), items.delete(key)),
  };
}

let storage;
beforeEach(() => {
  storage = memoryStorage();
  Object.defineProperty(globalThis, "sessionStorage", { configurable: true, get: () => storage });
});
afterEach(() => {
  delete globalThis.sessionStorage;
});

const stored = () => (storage.items.has(KEY) ? JSON.parse(storage.items.get(KEY)) : null);

/** A mounted slot over a poller on `fetch`, and its unmount. */
function mounted(fetch, key = KEY) {
  const slot = new PollerSlot({ orgSlug: "acme", projectIds: [1], strategy: "Traces", fetch, pollIntervalMs: 5 }, key);
  const unmount = slot.mount();
  return { slot, unmount };
}

async function until(what, done) {
  const deadline = Date.now() + 3000;
  while (!done()) {
    assert.ok(Date.now() < deadline, `never ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

test("the run under way is stored with its question, UUID preferred, and removed when it ends", async () => {
  const { fetch } = scripted([ok({ run_id: 4821 })], [ok(processing), ok({ ...processing, sentry_run_id: UUID }), ok(completed)]);
  const { slot } = mounted(fetch);
  const started = slot.submitQuery("slow spans");
  assert.equal(stored(), null, "nothing is stored before the run has an id");
  await started;
  assert.deepEqual(stored(), { runId: "4821", query: "slow spans" });
  await until("upgraded to the UUID", () => stored()?.runId === UUID);
  assert.deepEqual(Object.keys(stored()), ["runId", "query"]);
  await until("completed", () => slot.getSnapshot().phase === "completed");
  assert.equal(stored(), null);
});

test("on mount a stored run is resumed without a start, and its question restored", async () => {
  storage.items.set(KEY, JSON.stringify({ runId: UUID, query: "slow spans" }));
  const { fetch, calls } = scripted([ok({ sentry_run_id: UUID })], [ok(processing), ok(completed)]);
  const { slot } = mounted(fetch);
  assert.equal(slot.restoredQuery, "slow spans");
  assert.equal(slot.getSnapshot().phase, "polling");
  assert.equal(slot.getSnapshot().runId.value, UUID);
  // Asking the restored question again does not start a second run.
  await slot.submitQuery("slow spans");
  await until("completed", () => slot.getSnapshot().phase === "completed");
  assert.ok(calls.every((call) => call.method === "GET" && call.url === `${STATE}${UUID}/`), JSON.stringify(calls));
  assert.equal(stored(), null);
});

test("StrictMode's mount, unmount and mount again: one poller, one resume, the entry kept", async () => {
  storage.items.set(KEY, JSON.stringify({ runId: UUID, query: "q" }));
  const { fetch, calls } = scripted([ok({ sentry_run_id: UUID })], [ok(processing)]);
  const { slot, unmount } = mounted(fetch);
  unmount();
  const remount = slot.mount();
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(calls.filter((call) => call.url === `${STATE}${UUID}/`).length >= 2, true);
  assert.equal(calls.filter((call) => call.method === "POST").length, 0);
  assert.deepEqual(stored(), { runId: UUID, query: "q" });
  assert.equal(slot.getSnapshot().phase, "polling");
  remount();
});

test("reset and a new question remove the entry; the new run is stored in its place", async () => {
  const other = "0f6f2d0e-96a4-4b7e-8f39-2d4d3b1a9c77";
  const { fetch } = scripted([ok({ sentry_run_id: UUID }), ok({ sentry_run_id: other })], [ok(processing)]);
  const { slot } = mounted(fetch);
  await slot.submitQuery("first");
  assert.deepEqual(stored(), { runId: UUID, query: "first" });
  const second = slot.submitQuery("second");
  assert.equal(stored(), null, "the replaced run is forgotten at once");
  await second;
  assert.deepEqual(stored(), { runId: other, query: "second" });
  slot.reset();
  assert.equal(stored(), null);
  assert.equal(slot.getSnapshot().phase, "idle");
});

test("a stored run the server no longer knows ends gone, forgotten, and a new question works", async () => {
  storage.items.set(KEY, JSON.stringify({ runId: UUID, query: "q" }));
  const { fetch, calls } = scripted([ok({ sentry_run_id: UUID })], [{ status: 404, body: { session: null } }, ok(completed)]);
  const { slot } = mounted(fetch);
  await until("gone", () => slot.getSnapshot().phase === "gone");
  const gone = slot.getSnapshot();
  assert.equal(gone.isError, false);
  assert.equal(gone.error, null);
  assert.equal(stored(), null);
  await slot.submitQuery("q");
  await until("completed", () => slot.getSnapshot().phase === "completed");
  assert.equal(calls.filter((call) => call.method === "POST").length, 1);
});

test("a malformed entry is removed and nothing is resumed", async () => {
  for (const text of ["{not json", JSON.stringify({ runId: 5 }), JSON.stringify({ query: "q" }), "null", "[]"]) {
    storage.items.set(KEY, text);
    const { fetch, calls } = scripted([ok({ sentry_run_id: UUID })], [ok(processing)]);
    const { slot } = mounted(fetch);
    assert.equal(slot.getSnapshot().phase, "idle", text);
    assert.equal(slot.restoredQuery, null);
    assert.equal(storage.items.has(KEY), false, text);
    assert.equal(calls.length, 0);
  }
});

test("storage that throws is ignored: the run goes on as without a key", async () => {
  for (const broken of ["calls", "getter"]) {
    if (broken === "calls") storage = memoryStorage(true);
    else
      Object.defineProperty(globalThis, "sessionStorage", {
        configurable: true,
        get: () => {
          throw new DOMException("The operation is insecure.", "SecurityError");
        },
      });
    const { fetch } = scripted([ok({ sentry_run_id: UUID })], [ok(processing), ok(completed)]);
    const { slot } = mounted(fetch);
    await slot.submitQuery("q");
    await until("completed", () => slot.getSnapshot().phase === "completed");
    slot.reset();
    assert.equal(slot.getSnapshot().phase, "idle", broken);
  }
});

test("unmounting keeps the entry, and the next mount resumes the run", async () => {
  const { fetch } = scripted([ok({ sentry_run_id: UUID })], [ok(processing)]);
  const { slot, unmount } = mounted(fetch);
  await slot.submitQuery("q");
  unmount();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(stored(), { runId: UUID, query: "q" });
  const { slot: remounted, unmount: unmountAgain } = mounted(fetch);
  assert.equal(remounted.restoredQuery, "q");
  assert.equal(remounted.getSnapshot().runId.value, UUID);
  unmountAgain();
});

test("without a key nothing is stored and nothing is read", async () => {
  storage.items.set(KEY, JSON.stringify({ runId: UUID, query: "q" }));
  const { fetch } = scripted([ok({ sentry_run_id: "0f6f2d0e-96a4-4b7e-8f39-2d4d3b1a9c77" })], [ok(processing)]);
  const slot = new PollerSlot({ orgSlug: "acme", projectIds: [1], strategy: "Traces", fetch });
  const unmount = slot.mount();
  assert.equal(slot.getSnapshot().phase, "idle");
  await slot.submitQuery("other");
  assert.deepEqual(stored(), { runId: UUID, query: "q" }, "another key's entry is left alone");
  unmount();
});
