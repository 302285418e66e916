import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { BACKEND_INFO_PATH, type BackendInfo } from "./backendInfo";
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
  root.render(
    <StrictMode>
      <App backend={backend} settings={readSettings(window.location.search)} />
    </StrictMode>,
  );
} catch (error) {
  root.render(<p className="hint">{String(error)}</p>);
}
