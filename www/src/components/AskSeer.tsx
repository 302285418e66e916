import type { AskSeerPhase, AskSeerQuery } from "ask-seer-polling";
import { useAskSeerPolling } from "ask-seer-polling/react";
import { useEffect, useRef, useState } from "react";
import type { BackendInfo } from "../backendInfo";
import { statusLabel } from "../labels";
import type { RequestRecorder } from "../requestRecorder";
import type { PageSettings, Strategy } from "../settings";
import { AppliedSearch } from "./AppliedSearch";
import { CandidateList } from "./CandidateList";
import { ErrorNotice } from "./ErrorNotice";
import { RetryHint } from "./RetryHint";
import { StepList } from "./StepList";
import { StrategyPicker } from "./StrategyPicker";

interface AskSeerProps {
  backend: BackendInfo;
  settings: PageSettings;
  /** Gives the poller its `fetch` and hears its phases, for the request timeline. */
  recorder: RequestRecorder;
  /** Sent with every request; a change reaches the next request of the run under way. */
  headers: Record<string, string> | undefined;
}

/** Where the run under way is kept, so that a reload resumes it instead of asking again. */
const PERSIST_KEY = "ask-seer-demo:run";

/** The "Ask Seer" search: a question box, the dataset, the agent's progress and its answer. */
export function AskSeer({ backend, settings, recorder, headers }: AskSeerProps) {
  const [strategy, setStrategy] = useState<Strategy>(settings.strategy);
  const seer = useAskSeerPolling({
    orgSlug: backend.orgSlug,
    projectIds: [...backend.projectIds],
    strategy,
    fetch: recorder.fetch,
    headers,
    ...settings.timings,
    onError: recorder.markFailed,
    persistKey: PERSIST_KEY,
  });
  const [draft, setDraft] = useState(settings.question ?? "");
  const [asked, setAsked] = useState(settings.question);
  const [applied, setApplied] = useState<AskSeerQuery | null>(null);
  // A run resumed after a reload brings its question back, once the poller has resumed it.
  const [restored, setRestored] = useState<string | null>(null);
  if (seer.restoredQuery !== restored) {
    setRestored(seer.restoredQuery);
    if (seer.restoredQuery !== null) {
      setDraft(seer.restoredQuery);
      setAsked(seer.restoredQuery);
    }
  }
  const { phase, submitQuery, reset, queries } = seer;

  // StrictMode re-runs this effect with the phase of the last render, which an effect below
  // may already have moved on from: only changes are passed on.
  const notedPhase = useRef<AskSeerPhase | null>(null);
  useEffect(() => {
    if (notedPhase.current === phase) return;
    notedPhase.current = phase;
    recorder.notePhase(phase);
  }, [recorder, phase]);

  // A question in the URL is asked once on load; StrictMode's second run of this effect
  // re-asks the same question of the same poller, which ignores it.
  useEffect(() => {
    if (settings.question !== null) void submitQuery(settings.question);
  }, [settings.question, submitQuery]);

  // Counts effect mounts (2 under StrictMode in development), for the end-to-end tests.
  const root = useRef<HTMLElement>(null);
  const mounts = useRef(0);
  useEffect(() => {
    mounts.current += 1;
    root.current?.setAttribute("data-mounts", String(mounts.current));
  }, []);

  const ask = (question: string): void => {
    setAsked(question);
    void submitQuery(question);
  };
  const waiting = seer.isPending && seer.currentStep === null && seer.completedSteps.length === 0;
  const nothingFound = phase === "completed" && queries.length === 0 && seer.unsupportedReason === null;

  return (
    <section className="ask-seer" ref={root} aria-label="Ask Seer" data-phase={phase}>
      <form
        className="search"
        onSubmit={(event) => {
          event.preventDefault();
          ask(draft.trim());
        }}
      >
        <StrategyPicker value={strategy} onChange={setStrategy} />
        <div className="search-row">
          <span className="seer-mark" aria-hidden="true">
            ✦
          </span>
          <input
            type="search"
            aria-label="Ask Seer"
            placeholder="Ask Seer, e.g. slow checkout spans in production today"
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
            }}
          />
          <button type="submit" className="primary" disabled={draft.trim() === ""}>
            Ask
          </button>
          <button type="button" onClick={reset} disabled={phase === "idle"}>
            Reset
          </button>
        </div>
      </form>

      <div className="status" aria-live="polite">
        <p className="status-line">
          <span className={`phase phase-${phase}`} data-testid="phase">
            {statusLabel(phase, seer.pausedBy)}
          </span>
          {seer.runId && (
            <span className="run-id" title={seer.runId.kind === "uuid" ? "polled by UUID" : "polled by numeric id"}>
              run {seer.runId.value}
              {seer.runId.kind === "uuid" && seer.runId.numericRunId !== null && ` · #${String(seer.runId.numericRunId)}`}
            </span>
          )}
        </p>
        {waiting && <p className="hint">Waiting for Seer to pick up the question…</p>}
        {phase === "backoff" && seer.lastFailure !== null && <RetryHint failure={seer.lastFailure} />}
        <StepList completed={seer.completedSteps} current={seer.currentStep} />
        {queries.length > 0 && (
          <CandidateList
            queries={queries}
            applied={applied}
            onApply={setApplied}
            onGenerateAgain={() => {
              if (asked !== null) ask(asked);
            }}
          />
        )}
        {seer.unsupportedReason !== null && (
          <div className="notice notice-info" data-testid="unsupported">
            <p className="notice-title">Seer can't turn this question into a search.</p>
            <p className="notice-detail">{seer.unsupportedReason}</p>
          </div>
        )}
        {nothingFound && <p className="hint">Seer finished without a query.</p>}
        {phase === "gone" && (
          <div className="notice notice-info" role="status" data-testid="gone">
            <p className="notice-title">Sentry no longer has the search this page was following.</p>
            <p className="notice-detail">Nothing went wrong here; ask again to start a new search.</p>
          </div>
        )}
        {seer.isError && (
          <ErrorNotice
            error={seer.error}
            onRetry={
              asked === null
                ? null
                : () => {
                    ask(asked);
                  }
            }
          />
        )}
      </div>
      <AppliedSearch query={applied} />
    </section>
  );
}
