const pkg = require("ask-seer-polling");
const { useAskSeerPolling } = require("ask-seer-polling/react");
const React = require("react");
const { renderToString } = require("react-dom/server");
const { checkHookOnServer, checkPackage } = require("./src/check.cjs");

test("the package runs", async () => {
  expect(await checkPackage(pkg)).toContain("AskSeerPoller");
  expect(checkHookOnServer({ React, renderToString, useAskSeerPolling })).toContain("useAskSeerPolling");
});
