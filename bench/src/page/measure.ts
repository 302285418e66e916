/** The measurements that drive the JavaScript-side clients: per-poll cost, listener calls, requests. */
import type { ClientName, NotificationSample, PerPollSample, PollBody, RequestSample } from "../shared/api";
import { pollerRun } from "./clients/poller";
import { portRun } from "./clients/port";
import { getState, startRun, type PollingRun, type RunOptions } from "./clients/run";
import { tanstackRun } from "./clients/tanstack";
import { FakeServer } from "./fakeServer";
import { withFastTimers } from "./fastTimers";
import { busyUntil, stepping, timed } from "./scripts";

const RUNS: Record<ClientName, (options: RunOptions) => PollingRun> = {
  poller: pollerRun,
  tanstack: tanstackRun,
  port: portRun,
};

/** The next macrotask: with fast timers, one `MessageChannel` message. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The loop with no client: each poll is a fetch, its body's text, and one macrotask. */
async function bareLoop(server: FakeServer, polls: number): Promise<void> {
  const runId = await startRun(server.fetch);
  const signal = new AbortController().signal;
  for (let n = 0; n < polls; n += 1) {
    await getState(server.fetch, runId, signal);
    await nextTask();
  }
}

async function completeRun(run: PollingRun): Promise<void> {
  try {
    await run.finished;
  } finally {
    run.dispose();
  }
}

/**
 * `polls` polls with a zero interval, timed from the start request to the state showing completion;
 * `body` says whether the processing answer is the same on every poll or changes on each.
 */
export function perPoll(client: ClientName | null, polls: number, body: PollBody): Promise<PerPollSample> {
  const server = new FakeServer(busyUntil(polls, body));
  return withFastTimers(async () => {
    const started = performance.now();
    if (client === null) await bareLoop(server, polls);
    else await completeRun(RUNS[client]({ fetch: server.fetch, intervalMs: 0 }));
    return { elapsedMs: performance.now() - started, polls: server.polls };
  });
}

/** A run through a few distinct states on real timers, counting listener calls. */
export async function notifications(client: "poller" | "tanstack", intervalMs: number): Promise<NotificationSample> {
  const server = new FakeServer(stepping);
  const run = RUNS[client]({ fetch: server.fetch, intervalMs });
  await completeRun(run);
  const { calls, stateCalls, distinctStates } = run.seen;
  return { listenerCalls: calls, stateListenerCalls: stateCalls, distinctStates, polls: server.polls };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A run against a server with latency that finishes `runMs` after the start request, on real timers. */
export async function requests(
  client: "poller" | "tanstack",
  options: { runMs: number; intervalMs: number; latencyMs: number; settleMs: number },
): Promise<RequestSample> {
  const startedAt = (): number => server.sentAt[0] ?? Number.NaN;
  const server: FakeServer = new FakeServer(timed(startedAt, options.runMs, options.latencyMs));
  const run = RUNS[client]({ fetch: server.fetch, intervalMs: options.intervalMs });
  let endedAt = Number.NaN;
  try {
    await run.finished;
    endedAt = performance.now();
    await sleep(options.settleMs);
  } finally {
    run.dispose();
  }
  return {
    requests: server.requests,
    maxInFlight: server.maxInFlight,
    requestsAfterEnd: server.sentAt.filter((at) => at > endedAt).length,
    finishDelayMs: endedAt - (startedAt() + options.runMs),
  };
}
