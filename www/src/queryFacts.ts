/** What a candidate query says besides its filters, as the short facts the search bar lists. */
import type { AskSeerQuery } from "ask-seer-polling";

/** Sentry's chart types by number. */
const CHART_TYPES: Readonly<Record<number, string>> = { 0: "bars", 1: "line", 2: "area" };

/** One fact: a short name and its value. */
export type QueryFact = readonly [name: string, value: string];

function chartsOf(query: AskSeerQuery): string | null {
  const charts = query.visualizations.map(({ chartType, yAxes, interval }) => {
    const type = chartType === null ? null : (CHART_TYPES[chartType] ?? `chart ${String(chartType)}`);
    const every = interval === null ? null : `every ${interval}`;
    return [yAxes.join(", "), type && `as ${type}`, every].filter(Boolean).join(" ");
  });
  return charts.length === 0 ? null : charts.join("; ");
}

function periodOf(query: AskSeerQuery): string | null {
  if (query.statsPeriod !== null && query.statsPeriod !== "") return `last ${query.statsPeriod}`;
  if (query.start !== null && query.end !== null) return `${query.start} – ${query.end}`;
  return query.start ?? query.end;
}

/** The facts of `query`, in the order the search bar shows them; absent ones are left out, except the result count. */
export function factsOf(query: AskSeerQuery): QueryFact[] {
  const facts: [string, string | null][] = [
    ["Period", periodOf(query)],
    ["Sort", query.sort],
    ["Group by", query.groupBys.length > 0 ? query.groupBys.join(", ") : null],
    ["Charts", chartsOf(query)],
    ["Mode", query.mode],
    ["Results", query.resultCount === null ? "not counted" : query.resultCount.toLocaleString("en-US")],
    ["Spans", query.spanQuery],
    ["Logs", query.logQuery],
    ["Metrics", query.metricQuery],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== null && fact[1] !== "");
}
