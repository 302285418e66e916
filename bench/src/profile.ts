/** A CPU profile of a stretch of page work, summed by function. */
import type { CDPSession } from "playwright-core";

/** One function's share of the samples. */
export interface HotFunction {
  readonly name: string;
  /** The file it lives in, or `native` for the browser's own code. */
  readonly where: string;
  readonly selfPercent: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** Self time of each function while `work` runs, the hottest `top` first. */
export async function profile(cdp: CDPSession, work: () => Promise<unknown>, top: number): Promise<HotFunction[]> {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  const { profile: result } = await work().then(
    () => cdp.send("Profiler.stop"),
    async (error: unknown) => {
      await cdp.send("Profiler.stop");
      throw error;
    },
  );
  await cdp.send("Profiler.disable");
  const nodes = new Map<number, ProfileNode>(result.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<string, number>();
  let total = 0;
  const deltas = result.timeDeltas ?? [];
  (result.samples ?? []).forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    const delta = deltas[index + 1] ?? 0;
    if (frame === undefined || frame.functionName === "(idle)") return;
    const where = frame.url === "" ? "native" : (frame.url.split("/").at(-1) ?? "");
    const key = `${frame.functionName || "(anonymous)"}\u0000${where}`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    total += delta;
  });
  return [...selfTime.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, time]) => {
      const [name = "", where = ""] = key.split("\u0000");
      return { name, where, selfPercent: (100 * time) / total };
    });
}
