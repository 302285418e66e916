/** The agent's steps as the lines a person reads: one line per kind of step, however often it ran. */
import type { SessionStep } from "ask-seer-polling";

/** One line: a step key, how many times the agent has started it, and whether it is running now. */
export interface StepLine {
  readonly key: string;
  readonly runs: number;
  readonly running: boolean;
}

/**
 * The lines for `completed` then `current`, in the order each key first appeared. A key that
 * comes again (the agent ran that tool once more) adds a run to its line instead of a new line.
 */
export function stepLines(completed: readonly SessionStep[], current: SessionStep | null): StepLine[] {
  const lines = new Map<string, StepLine>();
  const add = (key: string, running: boolean): void => {
    lines.set(key, { key, runs: (lines.get(key)?.runs ?? 0) + 1, running });
  };
  for (const step of completed) add(step.key, false);
  if (current !== null) add(current.key, true);
  return [...lines.values()];
}
