// The hook's options, in the slot that holds its poller, against the built package (`make pkg`):
// every render's options reach the poller through `setOptions`, and a poller made during render
// attaches nothing until it is mounted. React's renders and effects are played by hand, as the
// hook plays them: `new PollerSlot` on the first render, `setOptions` after every render,
// `mount` on mount and the function it returns on unmount.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { AskSeerPoller } from "../../../../pkg/index.js";
import { PollerSlot } from "../../../../pkg/react/pollerSlot.js";

const UUID = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const STATE = `/api/0/organizations/acme/search-agent/state/${UUID}/`;
const processing = { session: { status: "processing", current_step: { key: "searching" }, updated_at: "a" } };

/** A `fetch` answering every start with a run and every poll with `processing`; records url, method, headers and body. */
function scripted() {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, method: init.method, headers: { ...init.headers }, body: init.body ?? null });
    const body = init.method === "POST" ? { sentry_run_id: UUID } : processing;
    return new Response(JSON.stringify(body), { status: 200 });
  };
  return { fetch, calls };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, done) {
  const deadline = Date.now() + 3000;
  while (!done()) {
    assert.ok(Date.now() < deadline, `never ${what}`);
    await sleep(2);
  }
}

/** A page whose visibility and connectivity listeners are counted: `attached` is how many are on now. */
function countedPage() {
  const counts = { attached: 0, added: 0 };
  const counted = (target) => {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    target.addEventListener = (type, listener) => {
      counts.attached += 1;
      counts.added += 1;
      add(type, listener);
    };
    target.removeEventListener = (type, listener) => {
      counts.attached -= 1;
      remove(type, listener);
    };
    return target;
  };
  const document = counted(new EventTarget());
  document.visibilityState = "visible";
  return { document, counts };
}

let page;
beforeEach(() => {
  page = countedPage();
  globalThis.document = page.document;
});
afterEach(() => {
  delete globalThis.document;
});

const config = (fetch, extra = {}) => ({ orgSlug: "acme", projectIds: [1], strategy: "Traces", fetch, pollIntervalMs: 5, ...extra });

test("a rotated token is on every later poll of the same run, with one start", async () => {
  const { fetch, calls } = scripted();
  const slot = new PollerSlot(config(fetch, { headers: { Authorization: "Bearer 1" } }));
  const unmount = slot.mount();
  await slot.submitQuery("slow spans");
  await until("polled", () => calls.some((call) => call.method === "GET"));
  // The next render: a new options object with the new token.
  slot.setOptions(config(fetch, { headers: { Authorization: "Bearer 2" } }));
  const rotatedAt = calls.length;
  await until("polled with the new token", () => calls.length >= rotatedAt + 3);
  const later = calls.slice(rotatedAt + 1);
  assert.ok(later.every((call) => call.headers.Authorization === "Bearer 2"), JSON.stringify(later));
  assert.equal(calls.filter((call) => call.method === "POST").length, 1);
  assert.ok(calls.every((call) => call.url === STATE || call.method === "POST"));
  assert.equal(slot.getSnapshot().phase, "polling");
  unmount();
});

test("new projects mid-run neither drop the run nor start one; the next question uses them", async () => {
  const { fetch, calls } = scripted();
  const slot = new PollerSlot(config(fetch));
  const unmount = slot.mount();
  await slot.submitQuery("slow spans");
  const run = slot.getSnapshot().runId;
  slot.setOptions(config(fetch, { projectIds: [2, 3] }));
  const changedAt = calls.length;
  await until("polled again", () => calls.length >= changedAt + 2);
  assert.deepEqual(slot.getSnapshot().runId, run);
  assert.equal(calls.filter((call) => call.method === "POST").length, 1);
  assert.deepEqual(JSON.parse(calls[0].body).project_ids, [1]);
  await slot.submitQuery("errors");
  const starts = calls.filter((call) => call.method === "POST");
  assert.equal(starts.length, 2);
  assert.deepEqual(JSON.parse(starts[1].body).project_ids, [2, 3]);
  unmount();
});

test("refused options show why and change nothing; valid ones are taken again", async () => {
  const { fetch, calls } = scripted();
  const slot = new PollerSlot(config(fetch));
  const unmount = slot.mount();
  await slot.submitQuery("slow spans");
  const seen = [];
  const unsubscribe = slot.subscribe(() => seen.push(slot.getSnapshot().phase));
  slot.setOptions(config(fetch, { pollIntervalMs: -1, headers: { Authorization: "Bearer 2" } }));
  const refused = slot.getSnapshot();
  assert.equal(refused.phase, "error");
  assert.equal(refused.error.kind, "invalid_config");
  assert.match(refused.error.message, /pollIntervalMs/);
  assert.deepEqual(seen, ["error"]);
  // The next render passes the same refused options: the same state, no notification.
  slot.setOptions(config(fetch, { pollIntervalMs: -1, headers: { Authorization: "Bearer 2" } }));
  assert.equal(slot.getSnapshot(), refused);
  assert.deepEqual(seen, ["error"]);
  // The run goes on with the options it had: the old token, no new question asked.
  const refusedAt = calls.length;
  await slot.submitQuery("errors");
  await until("polled again", () => calls.length >= refusedAt + 2);
  assert.ok(calls.slice(refusedAt).every((call) => call.method === "GET" && call.headers.Authorization === undefined));
  slot.setOptions(config(fetch));
  assert.equal(slot.getSnapshot().phase, "polling");
  unsubscribe();
  unmount();
});

test("options refused by the constructor: one state for every render, and a poller once they are valid", () => {
  const { fetch } = scripted();
  const slot = new PollerSlot(config(fetch, { orgSlug: "a/b" }));
  const refused = slot.getSnapshot();
  assert.equal(refused.error.kind, "invalid_config");
  let notified = 0;
  slot.subscribe(() => (notified += 1));
  const unmount = slot.mount();
  notified = 0;
  slot.setOptions(config(fetch, { orgSlug: "a/b" }));
  assert.equal(slot.getSnapshot(), refused);
  assert.equal(notified, 0);
  slot.setOptions(config(fetch));
  assert.equal(slot.getSnapshot().phase, "idle");
  assert.equal(notified, 1);
  assert.equal(page.counts.attached, 1, "the new poller is followed while mounted");
  unmount();
});

test("StrictMode: the poller of the discarded render attaches nothing; one start; the last unmount detaches all", async () => {
  const { fetch, calls } = scripted();
  // StrictMode renders twice and keeps one slot: the other's poller is dropped unmounted.
  new PollerSlot(config(fetch));
  const slot = new PollerSlot(config(fetch));
  assert.equal(page.counts.added, 0, "a poller made during render attached a listener");
  slot.setOptions(config(fetch));
  // Mount, StrictMode's unmount, mount again.
  slot.mount()();
  const unmount = slot.mount();
  await sleep(0);
  assert.equal(page.counts.attached, 1, "one visibility listener while mounted");
  await slot.submitQuery("slow spans");
  await slot.submitQuery("slow spans");
  assert.equal(calls.filter((call) => call.method === "POST").length, 1);
  unmount();
  await sleep(0);
  assert.equal(page.counts.attached, 0, "listeners left behind after the last unmount");
  const after = calls.length;
  await sleep(30);
  assert.equal(calls.length, after, "requests after the last unmount");
});

test("a poller attaches listeners from its first subscriber or run, and removes them when nothing needs them", async () => {
  const { fetch } = scripted();
  const poller = new AskSeerPoller(config(fetch));
  assert.equal(page.counts.added, 0);
  const unsubscribe = poller.subscribe(() => {});
  const second = poller.subscribe(() => {});
  assert.equal(page.counts.attached, 1);
  unsubscribe();
  assert.equal(page.counts.attached, 1);
  second();
  assert.equal(page.counts.attached, 0);
  // A run without listeners: attached while it runs, removed when it is reset.
  await poller.submitQuery("slow spans");
  assert.equal(page.counts.attached, 1);
  poller.reset();
  assert.equal(page.counts.attached, 0);
  poller.subscribe(() => {});
  assert.equal(page.counts.attached, 1);
  poller.dispose();
  assert.equal(page.counts.attached, 0);
  poller.subscribe(() => {});
  assert.equal(page.counts.attached, 0, "a disposed poller attaches nothing");
});
