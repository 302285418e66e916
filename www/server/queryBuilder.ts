/**
 * Turns a question into a plausible Sentry search, the way the search agent's answer looks:
 * a query string plus sort, period, group-bys and a chart. Rules are keyword based and
 * deterministic, so a question always gets the same answer.
 */

/** A chart the answer suggests. */
export interface SimVisualization {
  chartType: number;
  yAxes: string[];
}

/** The `final_response` object of a completed session. */
export interface SimFinalResponse {
  query: string;
  sort: string;
  statsPeriod: string;
  start: null;
  end: null;
  groupBys: string[];
  visualizations: SimVisualization[];
}

/** What the agent makes of a question. */
export type SimAnswer =
  | { kind: "query"; response: SimFinalResponse }
  | { kind: "unsupported"; reason: string };

/** Sentry's chart type for a line chart. */
const LINE_CHART = 1;

interface Rule {
  /** Tried on the lowercased question, or on the question as typed when the pattern names capital letters. */
  pattern: RegExp;
  /** The filter for a match; `$1`.. are the pattern's groups. */
  token: (match: RegExpMatchArray) => string;
}

const rule = (pattern: RegExp, token: string | ((match: RegExpMatchArray) => string)): Rule => ({
  pattern,
  token: typeof token === "string" ? () => token : token,
});

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);

/** Filters every dataset understands. */
const COMMON_RULES: readonly Rule[] = [
  rule(/\b(?:prod|production)\b/, "environment:production"),
  rule(/\bstaging\b/, "environment:staging"),
  rule(/\brelease\s+(v?\d[\w.+@-]*)/, (m) => `release:${m[1] ?? ""}`),
  rule(/\b(chrome|firefox|safari|edge)\b/, (m) => `browser.name:${capitalize(m[1] ?? "")}`),
  rule(/\b(android|ios|windows|macos|linux)\b/, (m) => `os.name:${m[1] === "ios" ? "iOS" : capitalize(m[1] ?? "")}`),
  rule(/\b([\w.+-]+@[\w-]+\.[\w.-]+)\b/, (m) => `user.email:${m[1] ?? ""}`),
  rule(/(?:^|\s)(\/[\w\-/]*\w)/, (m) => `transaction:${m[1] ?? ""}*`),
  rule(/\b(checkout|login|signup|cart)\b/, (m) => `transaction:*${m[1] ?? ""}*`),
];

/** Filters per dataset (the `strategy` of the start request). */
const STRATEGY_RULES: Readonly<Record<string, readonly Rule[]>> = {
  Traces: [
    rule(/\b(?:longer|slower|more) than\s+(\d+)\s*(ms|s|seconds?|milliseconds?)\b/, (m) => `span.duration:>${durationOf(m)}`),
    rule(/\bslow(?:er|est)?\b/, "span.duration:>500ms"),
    rule(/\b(?:db|database|sql|quer(?:y|ies))\b/, "span.op:db"),
    rule(/\b(?:http|api|outgoing) (?:calls?|requests?)\b/, "span.op:http.client"),
    rule(/\bcache\b/, "span.op:cache.get"),
    rule(/\bpage ?loads?\b/, "span.op:pageload"),
    rule(/\b(?:fail(?:ed|ing)?|errored)\b/, "!span.status:ok"),
    rule(/\b([45])xx\b|\b([45]\d\d)s?\b/, (m) => `http.response_status_code:${m[2] ?? `${m[1] ?? ""}*`}`),
  ],
  Errors: [
    rule(/\bunhandled\b/, "error.unhandled:true"),
    rule(/\b([A-Z]\w*(?:Error|Exception))\b/, (m) => `error.type:${m[1] ?? ""}`),
    rule(/\btime(?:d)? ?outs?\b/, 'message:"*timeout*"'),
    rule(/\b(fatal|warning)s?\b/, (m) => `level:${m[1] ?? ""}`),
    rule(/\b([45])xx\b|\b([45]\d\d)s?\b/, (m) => `http.status_code:${m[2] ?? `${m[1] ?? ""}*`}`),
  ],
  Issues: [
    rule(/\bunassigned\b/, "is:unassigned"),
    rule(/\bassigned to me\b|\bmy issues\b/, "assigned:me"),
    rule(/\bregress(?:ed|ions?)\b/, "is:regressed"),
    rule(/\bescalating\b/, "is:escalating"),
    rule(/\bnew\b|\bfirst seen\b/, "firstSeen:-24h"),
    rule(/\bmore than\s+(\d+)\s+events?\b/, (m) => `timesSeen:>${m[1] ?? ""}`),
    rule(/\bunhandled\b/, "error.unhandled:true"),
  ],
  Logs: [
    rule(/\b(error|warning|warn|info|debug|fatal)\s+logs?\b|\blogs? at (error|warning|info|debug)\b/, (m) => `severity:${normalizeSeverity(m[1] ?? m[2] ?? "")}`),
    rule(/\bservice\s+([\w-]+)/, (m) => `service:${m[1] ?? ""}`),
    rule(/\btime(?:d)? ?outs?\b/, 'message:"*timeout*"'),
  ],
  Metrics: [
    rule(/\bcpu\b/, "metric.name:process.cpu.utilization"),
    rule(/\bmemory\b/, "metric.name:process.memory.usage"),
    rule(/\bqueue\b/, "metric.name:queue.depth"),
    rule(/\blatency\b/, "metric.name:http.server.duration"),
  ],
};

const PERIODS: readonly [RegExp, (m: RegExpMatchArray) => string][] = [
  [/\blast\s+(\d+)\s+hours?\b/, (m) => `${m[1] ?? ""}h`],
  [/\blast\s+(\d+)\s+days?\b/, (m) => `${m[1] ?? ""}d`],
  [/\b(?:last|past) hour\b/, () => "1h"],
  [/\btoday\b|\b(?:last|past) (?:24 hours|day)\b/, () => "24h"],
  [/\b(?:this|last|past) week\b/, () => "7d"],
  [/\b(?:this|last|past) month\b/, () => "30d"],
];

const GROUP_BYS: Readonly<Record<string, string>> = {
  transaction: "transaction",
  endpoint: "transaction",
  browser: "browser.name",
  release: "release",
  environment: "environment",
  user: "user.email",
  country: "user.geo.country_code",
  project: "project",
  service: "service",
};

const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\b(?:compare|comparing|versus|vs\.?|difference between)\b/, "Comparing two releases or time ranges is not supported yet."],
  [/\b(?:why|predict|forecast)\b/, "Seer turns questions into searches; it cannot explain causes or predict what comes next."],
];

const STOP_WORDS = new Set(
  "a an the show me find list all any which what where when who with without in on for from to of by per and or is are was were that this those these my our your there have has had do does did over under than more less most least get give see".split(
    " ",
  ),
);

function durationOf(match: RegExpMatchArray): string {
  const unit = match[2] ?? "ms";
  return `${match[1] ?? ""}${unit.startsWith("s") ? "s" : "ms"}`;
}

function normalizeSeverity(level: string): string {
  return level === "warn" ? "warning" : level;
}

/** Whether two filters constrain the same thing (`is:` filters may repeat). */
function sameFilter(a: string, b: string): boolean {
  const key = a.slice(0, a.indexOf(":"));
  return key === "is" ? a === b : key === b.slice(0, b.indexOf(":"));
}

/** The words of a question worth searching for as free text, when no rule matched. */
function freeText(question: string): string[] {
  return question
    .split(/[^\w-]+/)
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word))
    .slice(0, 3);
}

function chartFor(strategy: string, tokens: readonly string[]): SimVisualization[] {
  if (strategy === "Issues") return [];
  if (strategy === "Metrics") return [{ chartType: LINE_CHART, yAxes: ["avg(value)"] }];
  const slow = tokens.some((token) => token.startsWith("span.duration"));
  return [{ chartType: LINE_CHART, yAxes: [slow ? "p95(span.duration)" : "count()"] }];
}

function sortFor(strategy: string, tokens: readonly string[], question: string): string {
  if (strategy === "Issues") return /\b(?:frequent|most events|noisiest)\b/.test(question) ? "freq" : "date";
  if (tokens.some((token) => token.startsWith("span.duration"))) return "-span.duration";
  return strategy === "Logs" ? "-timestamp" : "-count()";
}

/** The agent's answer to `question` for the dataset `strategy` (Errors, Issues, Logs, Metrics, Traces). */
export function answerQuestion(question: string, strategy: string): SimAnswer {
  const text = question.toLowerCase();
  for (const [pattern, reason] of UNSUPPORTED) {
    if (pattern.test(text)) return { kind: "unsupported", reason };
  }
  const tokens: string[] = strategy === "Issues" && !/\bresolved\b/.test(text) ? ["is:unresolved"] : [];
  if (strategy === "Issues" && /\bresolved\b/.test(text) && !/\bunresolved\b/.test(text)) tokens.push("is:resolved");
  const rules = [...(STRATEGY_RULES[strategy] ?? []), ...COMMON_RULES];
  for (const { pattern, token } of rules) {
    const match = pattern.exec(/[A-Z]/.test(pattern.source) ? question : text);
    const filter = match ? token(match) : null;
    if (filter !== null && !tokens.some((seen) => sameFilter(seen, filter))) tokens.push(filter);
  }
  const quoted = /"([^"]+)"/.exec(question);
  if (quoted?.[1]) tokens.push(`message:"*${quoted[1]}*"`);
  if (tokens.length === 0 || (tokens.length === 1 && tokens[0] === "is:unresolved")) tokens.push(...freeText(text));
  const period = PERIODS.find(([pattern]) => pattern.test(text));
  const groupWord = /\b(?:by|per|grouped by|for each)\s+(\w+)/.exec(text)?.[1];
  const groupBy = groupWord === undefined ? undefined : GROUP_BYS[groupWord.replace(/s$/, "")];
  const periodMatch = period ? period[0].exec(text) : null;
  return {
    kind: "query",
    response: {
      query: tokens.join(" "),
      sort: sortFor(strategy, tokens, text),
      statsPeriod: period && periodMatch ? period[1](periodMatch) : strategy === "Issues" ? "14d" : "24h",
      start: null,
      end: null,
      groupBys: groupBy === undefined ? [] : [groupBy],
      visualizations: chartFor(strategy, tokens),
    },
  };
}
