/**
 * Sentry's search-agent API, simulated: the start and state endpoints under `/api/0`, with
 * the behaviour of the scenario each request names, and a log of every request seen.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_SCENARIO, findScenario, type ScenarioName } from "../src/scenarios.ts";
import { awaitingPickup, endingFor, sessionAt, type RunRequest, type SimRun } from "./runs.ts";

/** A request as the simulator needs it. */
export interface SimRequest {
  method: string;
  /** The path, without the query string. */
  path: string;
  /** The scenario header's value, if any. */
  scenario: string | undefined;
  /** The `Authorization` header's value, if any. */
  authorization?: string | undefined;
  body: string;
}

/** The answer, and how long to hold it back. */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  delayMs: number;
  /** Send the headers and this many bytes of the body, then drop the connection. */
  dropAfterBytes?: number;
}

/** An answer with the log entry it belongs to, for {@link SearchAgentSimulator.ended}. */
export interface LoggedResponse extends SimResponse {
  seq: number;
}

/** One request in the log. */
export interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  /** When it arrived, in ms since the epoch. */
  at: number;
  scenario: ScenarioName;
  status: number;
  /** The run's UUID, when the request concerns a known run. */
  run: string | null;
  /** The `Authorization` header sent, `null` when none was. */
  authorization: string | null;
  /** The start request's JSON body. */
  body?: unknown;
  /** When the answer was sent, or the connection closed without one; `null` while in flight. */
  endedAt: number | null;
}

const START_PATH = /^\/api\/0\/organizations\/([A-Za-z0-9_-]+)\/search-agent\/start\/?$/;
const STATE_PATH = /^\/api\/0\/organizations\/([A-Za-z0-9_-]+)\/search-agent\/state\/([^/]+)\/?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIRST_NUMERIC_ID = 4821;
const STRATEGIES = new Set(["Errors", "Issues", "Logs", "Metrics", "Traces"]);
const SLOW_MIN_MS = 1200;
const SLOW_SPREAD_MS = 800;
/** How much of a state body the `dropped-body` scenario sends before it drops the connection. */
const DROPPED_BODY_BYTES = 24;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
  delayMs: 0,
});

const html = (status: number, title: string): SimResponse => ({
  status,
  headers: { "content-type": "text/html" },
  body: `<!DOCTYPE html><html><head><title>${String(status)} ${title}</title></head><body><h1>${title}</h1></body></html>`,
  delayMs: 0,
});

/** What a state request answers instead of the session, on the given poll of a run. */
function pollFault(scenario: ScenarioName, poll: number): SimResponse | null {
  switch (scenario) {
    case "flaky-polls":
      if (poll === 2 || poll === 3) return html(503, "Service Unavailable");
      return poll === 6 ? html(502, "Bad Gateway") : null;
    case "rate-limited":
      return poll === 2
        ? json(429, { detail: "Request was throttled. Expected available in 2 seconds." }, { "retry-after": "2" })
        : null;
    case "malformed-json":
      return poll === 2
        ? { status: 200, headers: { "content-type": "application/json" }, body: '{"session": {"status": "proc', delayMs: 0 }
        : null;
    default:
      return null;
  }
}

/** A state answer the `dropped-body` scenario cuts short: polls 2 and 3 of each run. */
function dropsBody(scenario: ScenarioName, poll: number): boolean {
  return scenario === "dropped-body" && (poll === 2 || poll === 3);
}

/** Reads the start body, or says what is wrong with it. */
function parseStart(orgSlug: string, body: string): RunRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return "Request body is not valid JSON";
  }
  if (typeof value !== "object" || value === null) return "Request body must be a JSON object";
  const fields = value as Record<string, unknown>;
  const question = fields.natural_language_query;
  const projectIds = fields.project_ids;
  const strategy = fields.strategy;
  if (typeof question !== "string" || question.trim() === "") return "natural_language_query is required";
  if (!Array.isArray(projectIds) || !projectIds.every((id) => Number.isInteger(id))) {
    return "project_ids must be a list of integers";
  }
  if (typeof strategy !== "string" || !STRATEGIES.has(strategy)) return `Unknown strategy: ${String(strategy)}`;
  return { orgSlug, question, strategy, projectIds: projectIds as number[] };
}

/** The simulated search agent. `clock` gives the time in ms since the epoch. */
export class SearchAgentSimulator {
  readonly #clock: () => number;
  readonly #runs = new Map<string, SimRun>();
  readonly #byNumericId = new Map<number, SimRun>();
  readonly #failedQuestions = new Set<string>();
  #log: LoggedRequest[] = [];
  #nextNumericId = FIRST_NUMERIC_ID;
  #stateDelayMs = 0;

  constructor(clock: () => number = Date.now) {
    this.#clock = clock;
  }

  /** Every request seen since the last reset, oldest first. */
  requests(): readonly LoggedRequest[] {
    return this.#log;
  }

  /** Forgets every run and the log, and answers at full speed again. */
  reset(): void {
    this.restart();
    this.#log = [];
    this.#stateDelayMs = 0;
  }

  /** Forgets every run, as a restarted server does; the log stays. */
  restart(): void {
    this.#runs.clear();
    this.#byNumericId.clear();
    this.#failedQuestions.clear();
  }

  /** Holds every later state answer back `ms` milliseconds (0: answer at once). */
  setStateDelay(ms: number): void {
    this.#stateDelayMs = ms;
  }

  /** The answer to request `seq` was sent, or its connection closed without one. */
  ended(seq: number): void {
    const entry = this.#log.at(seq - 1);
    if (entry?.endedAt === null) entry.endedAt = this.#clock();
  }

  /** Answers one request under `/api/0`. */
  handle(request: SimRequest): LoggedResponse {
    const now = this.#clock();
    const scenario = findScenario(request.scenario)?.name ?? DEFAULT_SCENARIO;
    const start = START_PATH.exec(request.path);
    const state = STATE_PATH.exec(request.path);
    let entry: Omit<LoggedRequest, "seq" | "status" | "endedAt"> = {
      method: request.method,
      path: request.path,
      at: now,
      scenario,
      run: null,
      authorization: request.authorization ?? null,
    };
    let response: SimResponse;
    if (start && request.method === "POST") {
      const outcome = this.#start(now, scenario, start[1] ?? "", request.body);
      entry = { ...entry, run: outcome.run?.uuid ?? null, body: tryParse(request.body) };
      response = outcome.response;
    } else if (state && request.method === "GET") {
      const run = this.#find(state[2] ?? "");
      entry = { ...entry, scenario: run && typeof run !== "string" ? run.scenario : scenario };
      if (typeof run === "string") {
        response = json(400, { detail: run });
      } else {
        entry.run = run?.uuid ?? null;
        response = this.#state(now, run, state[2] ?? "");
      }
    } else if (start || state) {
      response = json(405, { detail: `Method "${request.method}" not allowed.` });
    } else {
      response = json(404, { detail: "The requested resource does not exist" });
    }
    const seq = this.#log.length + 1;
    if (entry.scenario === "slow") response = { ...response, delayMs: SLOW_MIN_MS + ((seq * 337) % SLOW_SPREAD_MS) };
    else if (state && this.#stateDelayMs > 0) response = { ...response, delayMs: this.#stateDelayMs };
    this.#log.push({ ...entry, seq, status: response.status, endedAt: null });
    return { ...response, seq };
  }

  #start(now: number, scenario: ScenarioName, orgSlug: string, body: string): { response: SimResponse; run?: SimRun } {
    const parsed = parseStart(orgSlug, body);
    if (typeof parsed === "string") return { response: json(400, { detail: parsed }) };
    switch (scenario) {
      case "forbidden":
        return { response: json(403, { detail: "You do not have permission to perform this action." }) };
      case "start-500":
        return { response: json(500, { detail: "Failed to start search agent" }) };
      case "missing-ids":
        return { response: json(200, { run_id: null }) };
      default:
        break;
    }
    const run = this.#create(now, scenario, parsed);
    switch (scenario) {
      case "legacy-server":
        return { run, response: json(200, { run_id: run.numericId }) };
      case "picked-up":
        return { run, response: json(200, { run_id: run.numericId, sentry_run_id: run.uuid }) };
      case "start-500-retry-token":
        return { run, response: json(500, { detail: "Failed to start search agent", retry_token: run.uuid }) };
      default:
        return { run, response: json(200, { run_id: null, sentry_run_id: run.uuid }) };
    }
  }

  #create(now: number, scenario: ScenarioName, request: RunRequest): SimRun {
    const question = request.question.trim().toLowerCase();
    const failedBefore = this.#failedQuestions.has(question);
    const ending = endingFor(scenario, request, failedBefore, now);
    if (ending.kind === "error") this.#failedQuestions.add(question);
    const run: SimRun = {
      uuid: randomUUID(),
      numericId: this.#nextNumericId++,
      scenario,
      request,
      createdAt: now,
      pickedUpAtStart: scenario === "legacy-server" || scenario === "picked-up",
      ending,
      polls: 0,
    };
    this.#runs.set(run.uuid, run);
    this.#byNumericId.set(run.numericId, run);
    return run;
  }

  /** The run an id names; a string says why the id is invalid. */
  #find(id: string): SimRun | undefined | string {
    if (UUID.test(id)) return this.#runs.get(id.toLowerCase());
    if (/^\d+$/.test(id)) {
      const run = this.#byNumericId.get(Number(id));
      // Before the agent picks a UUID run up, it has no numeric id yet.
      return run && (run.pickedUpAtStart || !awaitingPickup(run, this.#clock())) ? run : undefined;
    }
    return "Invalid run_id";
  }

  #state(now: number, run: SimRun | undefined, id: string): SimResponse {
    if (!run) return json(404, { session: null });
    run.polls += 1;
    const fault = pollFault(run.scenario, run.polls);
    if (fault) return fault;
    const answer = json(200, this.#stateBody(now, run, id));
    return dropsBody(run.scenario, run.polls) ? { ...answer, dropAfterBytes: DROPPED_BODY_BYTES } : answer;
  }

  #stateBody(now: number, run: SimRun, id: string): Record<string, unknown> {
    if (UUID.test(id) && awaitingPickup(run, now)) return { session: { status: "processing" } };
    const session = sessionAt(run, now);
    return run.scenario === "legacy-server" ? { session } : { session, sentry_run_id: run.uuid };
  }
}

function tryParse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}
