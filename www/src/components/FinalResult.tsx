import type { FinalResponse } from "ask-seer-polling";
import { QueryTokens } from "./QueryTokens";

/** The agent's answer: the query as tokens, and how to sort, when, grouped by what, charted how. */
export function FinalResult({ query, response }: { query: string; response: FinalResponse | null }) {
  const facts: [string, string][] = [];
  if (response?.sort) facts.push(["Sort", response.sort]);
  if (response?.statsPeriod) facts.push(["Period", response.statsPeriod]);
  else if (response?.start && response.end) facts.push(["Period", `${response.start} – ${response.end}`]);
  if (response?.groupBys?.length) facts.push(["Group by", response.groupBys.join(", ")]);
  const charts = response?.visualizations?.flatMap((chart) => chart.yAxes) ?? [];
  if (charts.length > 0) facts.push(["Chart", charts.join(", ")]);
  return (
    <section className="final" aria-label="Seer's query">
      <h2>Seer's query</h2>
      <QueryTokens query={query} />
      {facts.length > 0 && (
        <dl className="facts">
          {facts.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
