import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BACKEND_INFO_PATH, type BackendInfo } from "./backendInfo";
import { ErrorNotice } from "./components/ErrorNotice";
import { loadFailure } from "./loadFailure";
import { readSettings } from "./settings";
import "./styles.css";

/** What the server says is behind `/api/0`; the page needs it before it can render. */
async function loadBackend(): Promise<BackendInfo> {
  const response = await fetch(BACKEND_INFO_PATH);
  if (!response.ok) throw new Error(`${BACKEND_INFO_PATH} answered HTTP ${String(response.status)}: serve the page with npm run demo.`);
  return (await response.json()) as BackendInfo;
}

const root = createRoot(document.getElementById("root") ?? document.body);
try {
  const backend = await loadBackend();
  // The app, and the package with it, loads only now: a package that cannot load is shown as an error, not a blank page.
  const { App } = await import("./App");
  root.render(
    <StrictMode>
      <App backend={backend} settings={readSettings(window.location.search)} />
    </StrictMode>,
  );
} catch (error) {
  const failure = loadFailure(error);
  root.render(failure ? <ErrorNotice error={failure} onRetry={null} /> : <p className="hint">{String(error)}</p>);
}
