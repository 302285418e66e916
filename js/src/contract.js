// Generated from the Rust types by `make contract` (src/contract.rs): do not edit.
/** The state of a poller before its first run, as `getSnapshot()` returns it: deeply frozen. */
export const IDLE_STATE = /* @__PURE__ */ freeze({"phase":"idle","runId":null,"sessionData":null,"isPending":false,"isPolling":false,"isError":false,"startFailed":false,"error":null,"pausedBy":null,"lastFailure":null,"finalResponse":null,"queries":[],"finalQuery":null,"unsupportedReason":null,"currentStep":null,"completedSteps":[]});
function freeze(value) {
  for (const field of Object.values(value)) if (typeof field === "object" && field !== null) freeze(field);
  return Object.freeze(value);
}
