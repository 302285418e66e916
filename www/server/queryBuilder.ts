/**
 * Turns a question into plausible Sentry searches, the way the search agent answers: one to
 * three candidate queries, best first, each with its period, sort, group-bys, charts, mode and
 * how many results it found. Rules are keyword based and deterministic, so a question always
 * gets the same answer at the same time.
 */

/** A chart a candidate suggests, in the agent's snake_case. */
export interface SimVisualization {
  chart_type: number;
  y_axes: string[];
  interval: string | null;
}

/** One candidate query as Sentry's server proxies it (its `SearchAgentQuery`). */
export interface SimQuery {
  query: string;
  group_by: string[];
  visualization: SimVisualization[];
  sort: string;
  /** Empty when `start` and `end` are used. */
  stats_period: string;
  start: string | null;
  end: string | null;
  mode: "samples" | "aggregates";
  result_count: number | null;
  span_query: string | null;
  log_query: string | null;
  metric_query: string | null;
}

/** What the agent makes of a question: candidates best first, or why it cannot. */
export type SimAnswer = { kind: "query"; queries: SimQuery[] } | { kind: "unsupported"; reason: string };

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

function chartFor(strategy: string, tokens: readonly string[], interval: string | null): SimVisualization[] {
  if (strategy === "Issues") return [];
  if (strategy === "Metrics") return [{ chart_type: LINE_CHART, y_axes: ["avg(value)"], interval }];
  const slow = tokens.some((token) => token.startsWith("span.duration"));
  return [{ chart_type: LINE_CHART, y_axes: [slow ? "p95(span.duration)" : "count()"], interval }];
}

/** A stable result count for `query`: a hash of its text, so a question always finds as many. */
function resultCount(query: string): number {
  let hash = 17;
  for (const char of query) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 100_003;
  return 1 + (hash % 2000);
}

/** `today` as the agent writes an absolute range: midnight UTC to the start of the current hour. */
function todaySoFar(now: number): { start: string; end: string } {
  const iso = new Date(now).toISOString();
  return { start: `${iso.slice(0, 10)}T00:00:00`, end: `${iso.slice(0, 13)}:00:00` };
}

/** One candidate with the fields every candidate shares. */
function candidate(strategy: string, tokens: readonly string[], fields: Partial<SimQuery> & Pick<SimQuery, "sort" | "stats_period">): SimQuery {
  const query = tokens.join(" ");
  return {
    query,
    group_by: [],
    visualization: chartFor(strategy, tokens, null),
    start: null,
    end: null,
    mode: "samples",
    result_count: resultCount(query),
    span_query: null,
    log_query: null,
    metric_query: null,
    ...fields,
  };
}

function sortFor(strategy: string, tokens: readonly string[], question: string): string {
  if (strategy === "Issues") return /\b(?:frequent|most events|noisiest)\b/.test(question) ? "freq" : "date";
  if (tokens.some((token) => token.startsWith("span.duration"))) return "-span.duration";
  return strategy === "Logs" ? "-timestamp" : "-count()";
}

/** The tokens of `question`'s query for `strategy`, in the order the rules found them. */
function tokensFor(question: string, text: string, strategy: string): string[] {
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
  return tokens;
}

/**
 * The agent's answer to `question` for the dataset `strategy` (Errors, Issues, Logs, Metrics,
 * Traces), asked at `now` (ms since the epoch). Candidates, best first: the whole query
 * (aggregated when the question groups); the query without its last filter, over an absolute
 * range when the question says "today"; and, for a grouped question, its samples.
 */
export function answerQuestion(question: string, strategy: string, now: number): SimAnswer {
  const text = question.toLowerCase();
  for (const [pattern, reason] of UNSUPPORTED) {
    if (pattern.test(text)) return { kind: "unsupported", reason };
  }
  const tokens = tokensFor(question, text, strategy);
  const period = PERIODS.find(([pattern]) => pattern.test(text));
  const periodMatch = period ? period[0].exec(text) : null;
  const statsPeriod = period && periodMatch ? period[1](periodMatch) : strategy === "Issues" ? "14d" : "24h";
  const groupWord = /\b(?:by|per|grouped by|for each)\s+(\w+)/.exec(text)?.[1];
  const groupBy = groupWord === undefined ? undefined : GROUP_BYS[groupWord.replace(/s$/, "")];
  const sort = sortFor(strategy, tokens, text);
  const queries = [
    candidate(strategy, tokens, {
      sort,
      stats_period: statsPeriod,
      group_by: groupBy === undefined ? [] : [groupBy],
      mode: groupBy === undefined ? "samples" : "aggregates",
    }),
  ];
  if (tokens.length >= 2) {
    const broader = tokens.slice(0, -1);
    const range = /\btoday\b/.test(text) ? todaySoFar(now) : null;
    queries.push(
      candidate(strategy, broader, {
        sort: strategy === "Issues" ? sort : "-timestamp",
        stats_period: range ? "" : statsPeriod,
        ...range,
        visualization: chartFor(strategy, broader, "1h"),
      }),
    );
  }
  if (groupBy !== undefined) queries.push(candidate(strategy, tokens, { sort, stats_period: statsPeriod }));
  return { kind: "query", queries };
}
