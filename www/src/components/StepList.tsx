import type { SessionStep } from "ask-seer-polling";
import { stepLabel } from "../labels";
import { stepLines } from "../steps";

const ordinal = (runs: number): string => (runs === 2 ? "2nd" : runs === 3 ? "3rd" : `${String(runs)}th`);

/** The agent's steps: finished ones with a check mark, the running one with a spinner; a repeat shows as another pass. */
export function StepList({ completed, current }: { completed: readonly SessionStep[]; current: SessionStep | null }) {
  return (
    <ol className="steps" aria-label="Seer's steps">
      {stepLines(completed, current).map(({ key, runs, running }) => (
        <li
          key={key}
          className={running ? "step step-current" : "step step-done"}
          data-step={key}
          data-runs={runs}
          aria-current={running ? "step" : undefined}
        >
          {running ? (
            <span className="spinner" aria-hidden="true" />
          ) : (
            <span className="step-icon" aria-hidden="true">
              ✓
            </span>
          )}
          {stepLabel(key)}
          {running && "…"}
          {runs > 1 && <span className="step-runs">{running ? `${ordinal(runs)} pass` : `${String(runs)} passes`}</span>}
        </li>
      ))}
    </ol>
  );
}
