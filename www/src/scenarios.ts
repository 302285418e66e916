/** The simulated search agent's behaviours, shared by the page's dev panel and the simulator. */

/** A scenario's name, as sent in {@link SCENARIO_HEADER} and in the `?scenario=` URL parameter. */
export type ScenarioName =
  | "uuid"
  | "picked-up"
  | "legacy-server"
  | "start-500-retry-token"
  | "start-500"
  | "forbidden"
  | "flaky-polls"
  | "rate-limited"
  | "malformed-json"
  | "dropped-body"
  | "missing-ids"
  | "stuck"
  | "error"
  | "unsupported"
  | "slow";

/** One scenario: its name and what it does, in a sentence. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  readonly description: string;
}

/** The request header that tells the simulator which scenario a request belongs to. */
export const SCENARIO_HEADER = "x-sim-scenario";

/** The scenario used when none is named. */
export const DEFAULT_SCENARIO: ScenarioName = "uuid";

/** Every scenario, in the order the dev panel lists them. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "uuid",
    title: "UUID runs",
    description:
      "Start answers run_id null and a sentry_run_id; polls by UUID see status-only sessions until the agent picks the run up.",
  },
  {
    name: "picked-up",
    title: "UUID, already picked up",
    description: "Start answers both the numeric run_id and the sentry_run_id.",
  },
  {
    name: "legacy-server",
    title: "Older server",
    description:
      "Start answers a numeric run_id only, polls use it, and the answer is one query object in camelCase instead of a list of candidates.",
  },
  {
    name: "start-500-retry-token",
    title: "Start 500 with retry_token",
    description: "Start fails with 500 but names the run it created; the client polls that run.",
  },
  { name: "start-500", title: "Start 500", description: "Start fails with 500 and no run." },
  { name: "forbidden", title: "Start 403", description: "Start is refused: no access to the search agent." },
  {
    name: "flaky-polls",
    title: "Flaky polls",
    description: "Polls 2, 3 and 6 of each run answer 503 or 502 with an HTML page.",
  },
  {
    name: "rate-limited",
    title: "429 with Retry-After",
    description: "Poll 2 of each run answers 429 with Retry-After: 2.",
  },
  {
    name: "malformed-json",
    title: "Malformed JSON",
    description: "Poll 2 of each run answers 200 with a truncated JSON body.",
  },
  {
    name: "dropped-body",
    title: "Connection dropped mid-body",
    description: "Polls 2 and 3 of each run send the headers and the start of the body, then the connection drops.",
  },
  { name: "missing-ids", title: "Start without ids", description: "Start answers 200 with neither run_id nor sentry_run_id." },
  {
    name: "stuck",
    title: "Stuck run",
    description: "The run stops at checking_values and its updated_at never moves again.",
  },
  {
    name: "error",
    title: "Run fails once",
    description: "The first run of each question ends with status error; asking again succeeds.",
  },
  {
    name: "unsupported",
    title: "Unsupported question",
    description: "Every run finishes with an unsupported_reason instead of a query.",
  },
  { name: "slow", title: "Slow responses", description: "Every response takes 1.2 to 2 seconds." },
];

/** The scenario called `name`, or `undefined` for an unknown name. */
export function findScenario(name: string | null | undefined): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.name === name);
}
