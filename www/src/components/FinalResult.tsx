import { queriesOf, type FinalResponse } from "ask-seer-polling";
import { QueryTokens } from "./QueryTokens";

/** The agent's answer: the query as tokens, and how to sort, when, grouped by what, charted how. */
export function FinalResult({ query, response }: { query: string; response: FinalResponse | null }) {
  const facts: [string, string][] = [];
  const best = response === null ? undefined : queriesOf(response)[0];
  if (best?.sort) facts.push(["Sort", best.sort]);
  if (best?.statsPeriod) facts.push(["Period", best.statsPeriod]);
  else if (best?.start && best.end) facts.push(["Period", `${best.start} – ${best.end}`]);
  if (best?.groupBys.length) facts.push(["Group by", best.groupBys.join(", ")]);
  const charts = best?.visualizations.flatMap((chart) => chart.yAxes) ?? [];
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
