/** The poller's memory: one poller kept across a warm-up run, a long run, and submit/reset cycles. */
import type { AskSeerPoller } from "ask-seer-polling";
import * as wasm from "ask-seer-polling/bundler/ask_seer_polling_bg.wasm";
import { makePoller, pollerRun } from "./clients/poller";
import { BUSY_BODY, COMPLETED_BODY } from "./fixtures";
import { FakeServer } from "./fakeServer";
import { withFastTimers } from "./fastTimers";
import { nextTask } from "./measure";

/** The server of the memory runs: busy until poll `finishAt`. */
let finishAt = 0;
const server = new FakeServer({ stateBody: (n) => (n >= finishAt ? COMPLETED_BODY : BUSY_BODY) });
let poller: AskSeerPoller | null = null;
let runs = 0;

function current(): AskSeerPoller {
  if (poller === null) throw new Error("memorySetup has not run");
  return poller;
}

/** One run of `polls` polls on the kept poller; a new query each time, so it is a new run. */
async function run(polls: number): Promise<void> {
  finishAt = server.polls + polls;
  runs += 1;
  const started = pollerRun({ fetch: server.fetch, intervalMs: 0 }, current(), `query ${String(runs)}`);
  await withFastTimers(() => started.finished);
  started.unsubscribe();
}

export async function memorySetup(polls: number): Promise<void> {
  poller = makePoller({ fetch: server.fetch, intervalMs: 0 });
  await run(polls);
}

export function memoryPolls(polls: number): Promise<void> {
  return run(polls);
}

/** Submits a new query, lets its start answer arrive, and resets, `cycles` times. */
export function memorySubmitReset(cycles: number): Promise<void> {
  const kept = current();
  return withFastTimers(async () => {
    for (let cycle = 0; cycle < cycles; cycle += 1) {
      void kept.submitQuery(`reset ${String(cycle)}`);
      await nextTask();
      kept.reset();
    }
  });
}

export function wasmMemoryBytes(): number {
  return wasm.memory.buffer.byteLength;
}
