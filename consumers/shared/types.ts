// Type-checked as ES module and as CommonJS, with skipLibCheck false on the default lib.
import { AskSeerPoller, IDLE_STATE, isAskSeerError, pickRunId, type AskSeerErrorKind, type AskSeerState } from "ask-seer-polling";
import { useAskSeerPolling, type UseAskSeerPollingResult } from "ask-seer-polling/react";

const kind: AskSeerErrorKind = "unsupported_environment";
const snapshot = (poller: AskSeerPoller): AskSeerState => poller.getSnapshot();
const idle: AskSeerState = IDLE_STATE;
const aliases = (result: UseAskSeerPollingResult): boolean => result.isSessionPending || result.isSessionError;
export const used = [kind, snapshot, idle, aliases, isAskSeerError, pickRunId, useAskSeerPolling] as const;
