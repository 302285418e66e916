import * as pkg from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import * as React from "react";
import { createRoot } from "react-dom/client";
import { checkHookInBrowser, checkPackage, reportToPage } from "./check.js";
import { checkLean } from "./lean.js";

reportToPage(async () => [
  await checkPackage(pkg),
  await checkHookInBrowser({ React, createRoot, useAskSeerPolling }, document.getElementById("root")),
  ...(checkLean === null ? [] : [await checkLean()]),
]);
