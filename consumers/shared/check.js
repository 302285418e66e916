/**
 * What every consumer project checks, on the modules it imported its own way: `pickRunId`,
 * `start`, `poll`, `AskSeerPoller` and `useAskSeerPolling` run against an injected `fetch` that
 * plays the search agent. Each check throws when something is off.
 */
const UUID = "5d0c8a4e-2b1f-4e7a-9c3d-6f8e1a2b3c4d";
const FINAL_RESPONSE = { query: "span.duration:>1s transaction:/checkout", sort: "-span.duration" };
const QUERY = "slow spans in checkout";
const PROJECT = { orgSlug: "acme", projectIds: [1], strategy: "Traces" };

function assert(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** The part of a `fetch` answer the package reads. */
function answer(status, body) {
  const text = JSON.stringify(body);
  return { status, text: () => Promise.resolve(text), headers: { get: () => null } };
}

/** A search agent whose runs finish on their second poll. */
export function fakeAgent() {
  let polls = 0;
  return (url, init) => {
    if (init.method === "POST" && url === "/api/0/organizations/acme/search-agent/start/") {
      return Promise.resolve(answer(200, { run_id: 7, sentry_run_id: UUID }));
    }
    if (url === `/api/0/organizations/acme/search-agent/state/${UUID}/`) {
      polls += 1;
      const session =
        polls < 2
          ? { status: "processing", current_step: { key: "understanding_query" }, updated_at: String(polls) }
          : { status: "completed", current_step: null, final_query: FINAL_RESPONSE.query, final_response: FINAL_RESPONSE };
      return Promise.resolve(answer(200, { session }));
    }
    return Promise.resolve(answer(404, { detail: "unknown" }));
  };
}

function within(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`check failed: ${what} took over ${ms} ms`)), ms)),
  ]);
}

/** `pickRunId`, `start`, `poll` and a whole `AskSeerPoller` run. */
export async function checkPackage({ AskSeerPoller, pickRunId, start, poll, isAskSeerError, IDLE_STATE }) {
  const picked = pickRunId({ run_id: null, sentry_run_id: UUID.toUpperCase() });
  assert(picked.kind === "uuid" && picked.value === UUID, `pickRunId gave ${JSON.stringify(picked)}`);
  let refused = null;
  try {
    pickRunId({});
  } catch (error) {
    refused = error;
  }
  assert(isAskSeerError(refused) && refused.kind === "missing_run_id", `pickRunId({}) threw ${String(refused)}`);

  const config = { orgSlug: PROJECT.orgSlug, fetch: fakeAgent() };
  const runId = await start(config, { query: QUERY, projectIds: PROJECT.projectIds, strategy: PROJECT.strategy });
  assert(runId.value === UUID, `start gave ${JSON.stringify(runId)}`);
  const first = await poll(config, runId);
  assert(first.keepPolling && first.session?.status === "processing", `first poll gave ${JSON.stringify(first)}`);
  const second = await poll(config, runId);
  assert(!second.keepPolling && second.session?.final_response?.query === FINAL_RESPONSE.query, `second poll gave ${JSON.stringify(second)}`);

  let poller = null;
  const succeeded = new Promise((resolve, reject) => {
    poller = new AskSeerPoller({ ...PROJECT, fetch: fakeAgent(), pollIntervalMs: 1, onSuccess: resolve, onError: reject });
  });
  const idle = JSON.stringify(poller.getSnapshot());
  assert(JSON.stringify(IDLE_STATE) === idle && Object.isFrozen(IDLE_STATE.queries), `IDLE_STATE is ${JSON.stringify(IDLE_STATE)}, a new poller's snapshot ${idle}`);
  let notifications = 0;
  const unsubscribe = poller.subscribe(() => {
    notifications += 1;
  });
  await poller.submitQuery(QUERY);
  const finalResponse = await within(succeeded, 5000, "the poller's run");
  const snapshot = poller.getSnapshot();
  unsubscribe();
  poller.dispose();
  assert(finalResponse.query === FINAL_RESPONSE.query, `onSuccess got ${JSON.stringify(finalResponse)}`);
  assert(snapshot.phase === "completed" && snapshot.finalQuery === FINAL_RESPONSE.query, `snapshot ${JSON.stringify(snapshot)}`);
  assert(notifications >= 2, `${notifications} notifications`);
  return "pickRunId, start, poll and AskSeerPoller ran";
}

/** A component over `useAskSeerPolling` that asks once and reports each state it renders. */
function searchComponent(React, useAskSeerPolling, onState) {
  return function Search() {
    const seer = useAskSeerPolling({ ...PROJECT, fetch: fakeAgent(), pollIntervalMs: 1 });
    const { submitQuery } = seer;
    React.useEffect(() => {
      void submitQuery(QUERY);
    }, [submitQuery]);
    onState(seer);
    return React.createElement("p", { id: "phase" }, seer.phase);
  };
}

function checkAliases(seer) {
  assert(seer.isSessionPending === seer.isPending && seer.isSessionError === seer.isError, "isSessionPending/isSessionError");
}

/** The hook rendered on the server: it must render the idle state without a poller. */
export function checkHookOnServer({ React, renderToString, useAskSeerPolling }) {
  const states = [];
  const html = renderToString(React.createElement(searchComponent(React, useAskSeerPolling, (seer) => states.push(seer))));
  assert(html.includes("idle") && states.length === 1 && states[0].phase === "idle", `server render gave ${html}`);
  checkAliases(states[0]);
  return "useAskSeerPolling rendered on the server";
}

/** The hook in a page, under StrictMode, through a whole run. */
export function checkHookInBrowser({ React, createRoot, useAskSeerPolling }, container) {
  return within(
    new Promise((resolve, reject) => {
      const Search = searchComponent(React, useAskSeerPolling, (seer) => {
        try {
          checkAliases(seer);
        } catch (error) {
          reject(error);
        }
        if (seer.phase === "completed" && seer.finalResponse?.query === FINAL_RESPONSE.query) resolve();
        if (seer.isError) reject(new Error(`check failed: the hook's run ended with ${JSON.stringify(seer.error)}`));
      });
      createRoot(container).render(React.createElement(React.StrictMode, null, React.createElement(Search)));
    }),
    5000,
    "the hook's run",
  ).then(() => "useAskSeerPolling ran a search under StrictMode");
}

/** With WebAssembly unavailable, the package loads and every call reports `unsupported_environment`. */
export async function checkBlocked({ AskSeerPoller, pickRunId, start, poll, isAskSeerError }) {
  const failures = [];
  const attempt = async (name, call) => {
    try {
      await call();
      failures.push(`${name} did not fail`);
    } catch (error) {
      const ok = isAskSeerError(error) && error.kind === "unsupported_environment" && error.message.includes("'wasm-unsafe-eval'");
      if (!ok) failures.push(`${name} failed with ${String(error)}`);
    }
  };
  await attempt("new AskSeerPoller", () => new AskSeerPoller({ ...PROJECT }));
  await attempt("pickRunId", () => pickRunId({ run_id: 7 }));
  await attempt("start", () => start({ orgSlug: "acme" }, { query: QUERY, ...PROJECT }));
  await attempt("poll", () => poll({ orgSlug: "acme" }, UUID));
  const pending = start({ orgSlug: "acme" }, { query: QUERY, ...PROJECT });
  assert(pending instanceof Promise, "start returns a promise");
  await pending.catch(() => undefined);
  assert(failures.length === 0, failures.join("; "));
  return "without WebAssembly: unsupported_environment from every call";
}

/** Runs the checks in a page and leaves the outcome in `window.consumerResult` for the runner. */
export function reportToPage(run) {
  run().then(
    (lines) => {
      window.consumerResult = { ok: true, lines };
    },
    (error) => {
      window.consumerResult = { ok: false, lines: [error instanceof Error ? (error.stack ?? error.message) : String(error)] };
    },
  );
}
