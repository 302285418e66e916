/** The bench page: offers the measurements to the runner as `window.bench`. */
import type { BenchApi } from "../shared/api";
import { notifications, perPoll, requests } from "./measure";
import { memoryPolls, memorySetup, memorySubmitReset, wasmMemoryBytes } from "./memory";
import { renders } from "./renders";
import { scaleRun, soakMount, soakQuestions, unmount } from "./scale";

declare global {
  interface Window {
    bench: BenchApi;
    gc?: () => void;
  }
}

window.bench = {
  ready: () => Promise.resolve(),
  perPoll,
  notifications,
  renders,
  requests,
  memorySetup,
  memoryPolls,
  memorySubmitReset,
  wasmMemoryBytes,
  scaleRun,
  soakMount,
  soakQuestions,
  unmount,
  collectGarbage: () => {
    if (window.gc === undefined) throw new Error("the page needs --js-flags=--expose-gc");
    window.gc();
  },
};
