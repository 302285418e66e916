"use client";
import * as pkg from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import * as React from "react";
import { createRoot } from "react-dom/client";
import { checkHookInBrowser, checkPackage, reportToPage } from "../src/check.js";

/** Rendered on the server and hydrated: the hook's idle state, then the checks in the browser. */
export default function Page() {
  const seer = useAskSeerPolling({ orgSlug: "acme", projectIds: [1], strategy: "Traces" });
  const hook = React.useRef(null);
  React.useEffect(() => {
    reportToPage(async () => [
      await checkPackage(pkg),
      await checkHookInBrowser({ React, createRoot, useAskSeerPolling }, hook.current),
    ]);
  }, []);
  return (
    <main>
      <p>{seer.phase}</p>
      <div ref={hook} />
    </main>
  );
}
