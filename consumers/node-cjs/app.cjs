const pkg = require("ask-seer-polling");
const { useAskSeerPolling } = require("ask-seer-polling/react");
const React = require("react");
const { renderToString } = require("react-dom/server");
const { checkHookOnServer, checkPackage } = require("./src/check.cjs");

checkPackage(pkg).then((done) => {
  console.log(done);
  console.log(checkHookOnServer({ React, renderToString, useAskSeerPolling }));
});
