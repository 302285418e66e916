/**
 * Timers of at most 1 ms run on the next macrotask, through a `MessageChannel`, instead of
 * after Chromium's 4 ms floor for nested timers. Longer timers stay real. Each such timer is
 * one macrotask, so promise work queued by one runs to completion before the next starts.
 */

interface Task {
  readonly run: () => void;
  readonly repeat: boolean;
  cancelled: boolean;
}

const FAST_MAX_MS = 1;
/** Far above the ids the browser hands out, so the two never meet. */
let nextId = 2 ** 30;

/** Replaces the global timer functions until the returned function is called. */
export function installFastTimers(): () => void {
  const saved = {
    setTimeout: globalThis.setTimeout,
    clearTimeout: globalThis.clearTimeout,
    setInterval: globalThis.setInterval,
    clearInterval: globalThis.clearInterval,
  };
  const real = {
    setTimeout: saved.setTimeout.bind(globalThis),
    clearTimeout: saved.clearTimeout.bind(globalThis),
    setInterval: saved.setInterval.bind(globalThis),
    clearInterval: saved.clearInterval.bind(globalThis),
  };
  const channel = new MessageChannel();
  const queue: Task[] = [];
  const tasks = new Map<number, Task>();
  channel.port1.onmessage = () => {
    const task = queue.shift();
    if (task === undefined || task.cancelled) return;
    if (task.repeat) post(task);
    task.run();
  };
  const post = (task: Task): void => {
    queue.push(task);
    channel.port2.postMessage(null);
  };
  const schedule = (handler: TimerHandler, repeat: boolean, args: unknown[]): number => {
    if (typeof handler !== "function") throw new TypeError("string timer handlers are not supported");
    const id = nextId++;
    const task: Task = {
      run: () => {
        if (!repeat) tasks.delete(id);
        (handler as (...args: unknown[]) => void)(...args);
      },
      repeat,
      cancelled: false,
    };
    tasks.set(id, task);
    post(task);
    return id;
  };
  const cancel = (id: number | undefined): boolean => {
    const task = id === undefined ? undefined : tasks.get(id);
    if (task === undefined) return false;
    task.cancelled = true;
    tasks.delete(id as number);
    return true;
  };
  const isFast = (delay: number | undefined): boolean => (delay ?? 0) <= FAST_MAX_MS;

  globalThis.setTimeout = ((handler: TimerHandler, delay?: number, ...args: unknown[]) =>
    isFast(delay) ? schedule(handler, false, args) : real.setTimeout(handler, delay, ...args)) as typeof setTimeout;
  globalThis.setInterval = ((handler: TimerHandler, delay?: number, ...args: unknown[]) =>
    isFast(delay) ? schedule(handler, true, args) : real.setInterval(handler, delay, ...args)) as typeof setInterval;
  globalThis.clearTimeout = (id?: number) => {
    if (!cancel(id)) real.clearTimeout(id);
  };
  globalThis.clearInterval = (id?: number) => {
    if (!cancel(id)) real.clearInterval(id);
  };
  return () => {
    for (const task of tasks.values()) task.cancelled = true;
    tasks.clear();
    channel.port1.close();
    Object.assign(globalThis, saved);
  };
}

/** Runs `body` with fast timers. */
export async function withFastTimers<T>(body: () => Promise<T>): Promise<T> {
  const uninstall = installFastTimers();
  try {
    return await body();
  } finally {
    uninstall();
  }
}
