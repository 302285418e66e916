import type { SessionStep } from "ask-seer-polling";
import { stepLabel } from "../labels";

/** The agent's steps: the finished ones with a check mark, the running one with a spinner. */
export function StepList({ completed, current }: { completed: readonly SessionStep[]; current: SessionStep | null }) {
  return (
    <ol className="steps" aria-label="Seer's steps">
      {completed.map((step, index) => (
        <li key={`${String(index)}-${step.key}`} className="step step-done" data-step={step.key}>
          <span className="step-icon" aria-hidden="true">
            ✓
          </span>
          {stepLabel(step.key)}
        </li>
      ))}
      {current && (
        <li className="step step-current" data-step={current.key} aria-current="step">
          <span className="spinner" aria-hidden="true" />
          {stepLabel(current.key)}…
        </li>
      )}
    </ol>
  );
}
