import type { AskSeerPhase } from "ask-seer-polling";
import { useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import { phaseLabel } from "../labels";
import type { PhaseMark, RecordedRequest, RequestOutcome, RequestRecorder } from "../requestRecorder";

const TICK_STEPS_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000, 300_000];
const MAX_TICKS = 10;
const MIN_SPAN_MS = 2000;
const REFRESH_MS = 100;
const ACTIVE_PHASES = new Set<AskSeerPhase>(["starting", "polling", "backoff", "paused"]);
const OUTCOMES: readonly [RequestOutcome, string][] = [
  ["ok", "ok"],
  ["retrying", "failed, retried"],
  ["failed", "failed, run ended"],
  ["aborted", "aborted"],
  ["pending", "in flight"],
];

/** Re-renders every {@link REFRESH_MS} while `live`, returning the recorder's clock. */
function useClock(recorder: RequestRecorder, live: boolean): number {
  const [now, setNow] = useState(() => recorder.elapsed());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => {
      setNow(recorder.elapsed());
    }, REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [recorder, live]);
  return now;
}

const seconds = (ms: number): string => `${String(Number((ms / 1000).toFixed(2)))} s`;
const percent = (ms: number, span: number): string => `${String((100 * ms) / span)}%`;

function describe(request: RecordedRequest): string {
  const path = request.url.replace(/^.*\/search-agent\//, "");
  const took = request.endedAt === null ? "in flight" : `${String(Math.round(request.endedAt - request.startedAt))} ms`;
  return `${request.method} ${path} · ${request.status === null ? request.outcome : String(request.status)} · ${took}`;
}

function Lane({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="lane">
      <span className="lane-label">{label}</span>
      <div className="lane-track">{children}</div>
    </div>
  );
}

function Bars({ requests, span, now }: { requests: readonly RecordedRequest[]; span: number; now: number }) {
  return requests.map((request) => (
    <div
      key={request.id}
      className={`bar bar-${request.outcome}`}
      data-outcome={request.outcome}
      data-kind={request.kind}
      title={describe(request)}
      style={{
        left: percent(request.startedAt, span),
        width: percent(Math.max(0, (request.endedAt ?? now) - request.startedAt), span),
      }}
    />
  ));
}

/** The poller's phases as bands; the run's end as a labelled marker. */
function Phases({ phases, span, now }: { phases: readonly PhaseMark[]; span: number; now: number }) {
  return phases.map((mark, index) => {
    const end = phases[index + 1]?.at ?? now;
    const active = ACTIVE_PHASES.has(mark.phase);
    return (
      <div
        key={`${String(index)}-${mark.phase}`}
        className={active ? `band band-${mark.phase}` : `marker marker-${mark.phase}`}
        title={`${phaseLabel(mark.phase)} at ${seconds(Math.round(mark.at))}`}
        style={{ left: percent(mark.at, span), width: active ? percent(end - mark.at, span) : undefined }}
      >
        {!active && <span>{mark.phase === "idle" ? "stopped" : phaseLabel(mark.phase).toLowerCase()}</span>}
      </div>
    );
  });
}

/** Every start and state request of the latest run as a bar on a time axis, coloured by outcome. */
export function RequestTimeline({ recorder }: { recorder: RequestRecorder }) {
  const { requests, phases } = useSyncExternalStore(recorder.subscribe, recorder.getSnapshot);
  const lastPhase = phases.at(-1)?.phase;
  const live = requests.some((request) => request.outcome === "pending") || (lastPhase !== undefined && ACTIVE_PHASES.has(lastPhase));
  const clock = useClock(recorder, live);
  const lastEvent = Math.max(0, ...requests.map((request) => request.endedAt ?? request.startedAt), ...phases.map((mark) => mark.at));
  const now = live ? Math.max(clock, lastEvent) : lastEvent;
  const span = Math.max(MIN_SPAN_MS, now * 1.05);
  const step = TICK_STEPS_MS.find((candidate) => span / candidate <= MAX_TICKS) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1] ?? span;
  // Ticks up to just short of the right edge, where a label would not fit.
  const ticks = Array.from({ length: Math.floor((span - step / 2) / step) + 1 }, (_, index) => index * step);
  const count = (outcome: RequestOutcome): number => requests.filter((request) => request.outcome === outcome).length;
  const starts = requests.filter((request) => request.kind === "start");
  const states = requests.filter((request) => request.kind === "state");

  return (
    <section className="timeline" aria-label="Request timeline">
      <h2>Requests</h2>
      {requests.length === 0 ? (
        <p className="hint">Each start and state request of a run shows here as a bar on a time axis.</p>
      ) : (
        <>
          <p className="timeline-summary" data-testid="timeline-summary">
            {starts.length} start · {states.length} state · {count("retrying")} retried · {count("failed")} failed ·{" "}
            {count("aborted")} aborted · {seconds(Math.round(now / 10) * 10)}
          </p>
          <div className="lanes">
            <Lane label="start">
              <Bars requests={starts} span={span} now={now} />
            </Lane>
            <Lane label="state">
              <Bars requests={states} span={span} now={now} />
            </Lane>
            <Lane label="phase">
              <Phases phases={phases} span={span} now={now} />
            </Lane>
            <Lane label="">
              {ticks.map((tick) => (
                <span key={tick} className="tick" style={{ left: percent(tick, span) }}>
                  {seconds(tick)}
                </span>
              ))}
            </Lane>
          </div>
        </>
      )}
      <ul className="legend">
        {OUTCOMES.map(([outcome, label]) => (
          <li key={outcome}>
            <span className={`swatch bar-${outcome}`} />
            {label}
          </li>
        ))}
        {(["polling", "backoff", "paused"] as const).map((phase) => (
          <li key={phase}>
            <span className={`swatch band-${phase}`} />
            {phaseLabel(phase).toLowerCase()}
          </li>
        ))}
      </ul>
    </section>
  );
}
