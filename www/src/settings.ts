/** The page's settings, read from its URL: `?scenario=`, `?q=`, `?strategy=` and poll timings such as `?staleAfterMs=`. */
import type { PollerConfig } from "ask-seer-polling";
import { DEFAULT_SCENARIO, findScenario, type ScenarioName } from "./scenarios";

/** The datasets the agent can search, as the start request's `strategy`. */
export const STRATEGIES = ["Errors", "Issues", "Logs", "Metrics", "Traces"] as const;
/** One of {@link STRATEGIES}. */
export type Strategy = (typeof STRATEGIES)[number];

const TIMING_NAMES = [
  "pollIntervalMs",
  "errorPollIntervalMs",
  "maxErrorWindowMs",
  "staleAfterMs",
  "maxRunMs",
  "requestTimeoutMs",
] as const;

/** Poll timings the URL may shorten, so that backoff and timeouts show in seconds. */
export type Timings = Partial<Pick<PollerConfig, (typeof TIMING_NAMES)[number]>>;

/** What the URL asks for. */
export interface PageSettings {
  scenario: ScenarioName;
  /** A question to ask as soon as the page loads. */
  question: string | null;
  strategy: Strategy;
  timings: Timings;
}

const isStrategy = (value: string | null): value is Strategy => STRATEGIES.some((strategy) => strategy === value);

/** Reads the settings from a query string such as `location.search`. Unknown or malformed values are ignored. */
export function readSettings(search: string): PageSettings {
  const params = new URLSearchParams(search);
  const timings: Timings = {};
  for (const name of TIMING_NAMES) {
    const value = Number(params.get(name) ?? Number.NaN);
    if (Number.isInteger(value) && value > 0) timings[name] = value;
  }
  const strategy = params.get("strategy");
  const question = params.get("q")?.trim() ?? "";
  return {
    scenario: findScenario(params.get("scenario"))?.name ?? DEFAULT_SCENARIO,
    question: question === "" ? null : question,
    strategy: isStrategy(strategy) ? strategy : "Traces",
    timings,
  };
}

/** `search` with its `scenario` parameter set to `scenario`. */
export function withScenario(search: string, scenario: ScenarioName): string {
  const params = new URLSearchParams(search);
  params.set("scenario", scenario);
  return `?${params.toString()}`;
}
