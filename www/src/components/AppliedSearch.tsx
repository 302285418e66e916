import type { AskSeerQuery } from "ask-seer-polling";
import { factsOf } from "../queryFacts";
import { QueryTokens } from "./QueryTokens";

/** The search the page runs: the candidate picked last, or a hint while none is. */
export function AppliedSearch({ query }: { query: AskSeerQuery | null }) {
  return (
    <section className="applied" aria-label="Search in use">
      <h2>Search in use</h2>
      {query === null ? (
        <p className="hint">Pick one of Seer's queries to use it here.</p>
      ) : (
        <>
          <QueryTokens query={query.query} />
          <p className="hint">{factsOf(query).map(([name, value]) => `${name}: ${value}`).join(" · ")}</p>
        </>
      )}
    </section>
  );
}
