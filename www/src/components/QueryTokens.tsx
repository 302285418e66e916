import { tokenize } from "../queryTokens";

/** A search string as the search bar shows it: one chip per filter or word. */
export function QueryTokens({ query }: { query: string }) {
  return (
    <div className="tokens" aria-label="Search query" data-query={query}>
      {tokenize(query).map((token, index) =>
        token.kind === "filter" ? (
          <span key={index} className={token.negated ? "token token-negated" : "token"}>
            {token.negated && <span className="token-op">!</span>}
            <span className="token-key">{token.key}</span>
            <span className="token-op">{token.operator}</span>
            <span className="token-value">{token.value}</span>
          </span>
        ) : (
          <span key={index} className="token token-text">
            {token.text}
          </span>
        ),
      )}
    </div>
  );
}
