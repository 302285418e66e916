/**
 * Candidate queries read from a `final_response`: today's `responses` list, or an older
 * server's single camelCase object.
 */
import type { FinalResponse } from "ask-seer-polling";

/** A chart of a candidate query. */
export interface AskSeerVisualization {
  readonly chartType: number | null;
  readonly yAxes: readonly string[];
  readonly interval: string | null;
}

/** One candidate query; absent fields are `null`, absent lists empty. */
export interface AskSeerQuery {
  readonly query: string;
  readonly groupBys: readonly string[];
  readonly visualizations: readonly AskSeerVisualization[];
  readonly sort: string | null;
  readonly statsPeriod: string | null;
  readonly start: string | null;
  readonly end: string | null;
  readonly mode: string | null;
  readonly resultCount: number | null;
  readonly spanQuery: string | null;
  readonly logQuery: string | null;
  readonly metricQuery: string | null;
}

type Fields = Readonly<Record<string, unknown>>;

const isFields = (value: unknown): value is Fields => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item) => typeof item === "string") : []);
const number = (value: unknown): number | null => (typeof value === "number" ? value : null);
/** The field under its snake_case name, else its camelCase one. */
const field = (fields: Fields, snake: string, camel: string): unknown => fields[snake] ?? fields[camel];

function queryOf(fields: Fields): AskSeerQuery | null {
  const query = text(fields.query);
  if (query === null) return null;
  const charts = field(fields, "visualization", "visualizations");
  return {
    query,
    groupBys: texts(field(fields, "group_by", "groupBys")),
    visualizations: (Array.isArray(charts) ? charts : []).filter(isFields).map((chart) => ({
      chartType: number(field(chart, "chart_type", "chartType")),
      yAxes: texts(field(chart, "y_axes", "yAxes")),
      interval: text(chart.interval),
    })),
    sort: text(fields.sort),
    statsPeriod: text(field(fields, "stats_period", "statsPeriod")),
    start: text(fields.start),
    end: text(fields.end),
    mode: text(fields.mode),
    resultCount: number(field(fields, "result_count", "resultCount")),
    spanQuery: text(field(fields, "span_query", "spanQuery")),
    logQuery: text(field(fields, "log_query", "logQuery")),
    metricQuery: text(field(fields, "metric_query", "metricQuery")),
  };
}

/** The candidates of `finalResponse`, best first; entries without a string `query` are left out. */
export function queriesOf(finalResponse: FinalResponse | null): AskSeerQuery[] {
  if (finalResponse === null) return [];
  const listed: unknown = finalResponse.responses;
  const entries: unknown[] = Array.isArray(listed) ? listed : [finalResponse];
  return entries.flatMap((entry) => {
    const query = isFields(entry) ? queryOf(entry) : null;
    return query === null ? [] : [query];
  });
}
