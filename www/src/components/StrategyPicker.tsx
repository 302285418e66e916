import { STRATEGIES, type Strategy } from "../settings";

/** The dataset to search: a row of toggle buttons. */
export function StrategyPicker({ value, onChange }: { value: Strategy; onChange: (strategy: Strategy) => void }) {
  return (
    <div className="strategy-picker" role="group" aria-label="Dataset">
      {STRATEGIES.map((strategy) => (
        <button
          key={strategy}
          type="button"
          aria-pressed={strategy === value}
          onClick={() => {
            onChange(strategy);
          }}
        >
          {strategy}
        </button>
      ))}
    </div>
  );
}
