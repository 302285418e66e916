import { useState } from "react";
import type { BackendInfo } from "./backendInfo";
import { AskSeer } from "./components/AskSeer";
import { DevPanel } from "./components/DevPanel";
import { RequestTimeline } from "./components/RequestTimeline";
import { RequestRecorder } from "./requestRecorder";
import { SCENARIO_HEADER, type ScenarioName } from "./scenarios";
import { withScenario, type PageSettings } from "./settings";

/** The page: the search, its request timeline and the dev panel. */
export function App({ backend, settings }: { backend: BackendInfo; settings: PageSettings }) {
  const [scenario, setScenario] = useState(settings.scenario);
  const [mounted, setMounted] = useState(true);
  // A short-lived token the simulated agent logs with each request; a real Sentry gets none.
  const [token, setToken] = useState(1);
  const headers = backend.mode === "simulated" ? { Authorization: `Bearer demo-token-${String(token)}` } : undefined;
  // The simulated agent learns the scenario from a header; a real Sentry gets none.
  const headersFor = (name: ScenarioName): Record<string, string> =>
    backend.mode === "simulated" ? { [SCENARIO_HEADER]: name } : {};
  const [recorder] = useState(() => new RequestRecorder(headersFor(settings.scenario)));
  const changeScenario = (name: ScenarioName): void => {
    setScenario(name);
    recorder.setExtraHeaders(headersFor(name));
    window.history.replaceState(null, "", withScenario(window.location.search, name));
  };

  return (
    <div className="page">
      <header className="page-header">
        <h1>Ask Seer</h1>
        <p>
          Organization <strong>{backend.orgSlug}</strong> · {backend.mode === "simulated" ? "simulated search agent" : `Sentry at ${backend.target ?? ""}`}
        </p>
      </header>
      <main className="page-main">
        <div className="page-column">
          {mounted ? (
            <AskSeer backend={backend} settings={settings} recorder={recorder} headers={headers} />
          ) : (
            <p className="hint unmounted">The search component is unmounted.</p>
          )}
          <RequestTimeline recorder={recorder} />
        </div>
        <DevPanel
          backend={backend}
          scenario={scenario}
          onScenario={changeScenario}
          mounted={mounted}
          onMounted={setMounted}
          timings={settings.timings}
          token={token}
          onRotateToken={() => {
            setToken((n) => n + 1);
          }}
        />
      </main>
    </div>
  );
}
