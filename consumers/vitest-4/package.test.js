import * as pkg from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import * as React from "react";
import { renderToString } from "react-dom/server";
import { expect, test } from "vitest";
import { checkHookOnServer, checkPackage } from "./src/check.js";

test("the package runs", async () => {
  expect(await checkPackage(pkg)).toContain("AskSeerPoller");
  expect(checkHookOnServer({ React, renderToString, useAskSeerPolling })).toContain("useAskSeerPolling");
});
