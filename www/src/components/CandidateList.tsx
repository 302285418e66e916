import type { AskSeerQuery } from "ask-seer-polling";
import { factsOf } from "../queryFacts";
import { QueryTokens } from "./QueryTokens";

interface CandidateListProps {
  queries: readonly AskSeerQuery[];
  /** The candidate in use, if one of these was picked. */
  applied: AskSeerQuery | null;
  onApply: (query: AskSeerQuery) => void;
  /** Asks the same question again, as a new run. */
  onGenerateAgain: () => void;
}

/** Seer's candidate queries, best first: each as tokens and facts, with a button to use it. */
export function CandidateList({ queries, applied, onApply, onGenerateAgain }: CandidateListProps) {
  return (
    <section className="candidates" aria-label="Seer's queries">
      <div className="candidates-head">
        <h2>
          {queries.length === 1 ? "Seer's query" : `Seer's queries, best first (${String(queries.length)})`}
        </h2>
        <button type="button" onClick={onGenerateAgain}>
          Generate again
        </button>
      </div>
      <ol className="candidate-list">
        {queries.map((query, index) => (
          <li key={index} className={query === applied ? "candidate candidate-applied" : "candidate"} data-query={query.query}>
            <QueryTokens query={query.query} />
            <dl className="facts">
              {factsOf(query).map(([name, value]) => (
                <div key={name} data-fact={name}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
            <button
              type="button"
              className={query === applied ? "primary" : undefined}
              aria-pressed={query === applied}
              aria-label={`Use query ${String(index + 1)}`}
              onClick={() => {
                onApply(query);
              }}
            >
              {query === applied ? "In use" : "Use this query"}
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
