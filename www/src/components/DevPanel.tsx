import type { BackendInfo } from "../backendInfo";
import { findScenario, SCENARIOS, type ScenarioName } from "../scenarios";
import type { Timings } from "../settings";

interface DevPanelProps {
  backend: BackendInfo;
  scenario: ScenarioName;
  onScenario: (scenario: ScenarioName) => void;
  mounted: boolean;
  onMounted: (mounted: boolean) => void;
  timings: Timings;
  /** The number of the token sent in the `Authorization` header. */
  token: number;
  onRotateToken: () => void;
}

/** Switches the simulated agent's scenario and mounts or unmounts the search component. */
export function DevPanel({ backend, scenario, onScenario, mounted, onMounted, timings, token, onRotateToken }: DevPanelProps) {
  const overrides = Object.entries(timings).map(([name, value]) => `${name}=${String(value)}`);
  return (
    <aside className="dev-panel" aria-label="Dev panel">
      <h2>Dev panel</h2>
      {backend.mode === "simulated" ? (
        <>
          <label>
            Scenario
            <select
              value={scenario}
              onChange={(event) => {
                const chosen = findScenario(event.target.value);
                if (chosen) onScenario(chosen.name);
              }}
            >
              {SCENARIOS.map((option) => (
                <option key={option.name} value={option.name}>
                  {option.title}
                </option>
              ))}
            </select>
          </label>
          <p className="hint">{findScenario(scenario)?.description}</p>
          <p className="hint">
            Applies to the next question. <a href="/__sim/requests">Requests the agent saw</a>
          </p>
          <p className="hint">
            Token demo-token-{token}, sent as <code>Authorization</code>{" "}
            <button type="button" onClick={onRotateToken}>
              Rotate token
            </button>{" "}
            The next request of the run under way carries the new one.
          </p>
        </>
      ) : (
        <p className="hint">
          Proxying to Sentry at {backend.target}, organization {backend.orgSlug}.
        </p>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={mounted}
          onChange={(event) => {
            onMounted(event.target.checked);
          }}
        />
        Show the search component
      </label>
      <p className="hint">
        Timings: {overrides.length > 0 ? overrides.join(", ") : "defaults (poll every 500 ms)"}. Set them in the URL, e.g. ?staleAfterMs=3000.
      </p>
    </aside>
  );
}
