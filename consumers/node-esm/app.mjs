import * as pkg from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import * as React from "react";
import { renderToString } from "react-dom/server";
import { checkHookOnServer, checkPackage } from "./src/check.js";

console.log(await checkPackage(pkg));
console.log(checkHookOnServer({ React, renderToString, useAskSeerPolling }));
