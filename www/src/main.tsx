import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { BACKEND_INFO_PATH, type BackendInfo } from "./backendInfo";
import { readSettings } from "./settings";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
const response = await fetch(BACKEND_INFO_PATH);
if (!response.ok) throw new Error(`${BACKEND_INFO_PATH} answered ${String(response.status)}`);
const backend = (await response.json()) as BackendInfo;

createRoot(root).render(
  <StrictMode>
    <App backend={backend} settings={readSettings(window.location.search)} />
  </StrictMode>,
);
