/** Splits a Sentry search string into the tokens the search bar shows. */

/** A `key:value` filter, or free text. */
export type QueryToken =
  | { kind: "filter"; negated: boolean; key: string; operator: string; value: string }
  | { kind: "text"; text: string };

const FILTER = /^(!?)([^:\s"]+):(>=|<=|>|<)?(.+)$/;

/** The tokens of `query`, in order; quoted values stay whole. */
export function tokenize(query: string): QueryToken[] {
  const parts = query.match(/(?:[^\s"]+|"[^"]*")+/g) ?? [];
  return parts.map((part) => {
    const match = FILTER.exec(part);
    if (!match) return { kind: "text", text: part };
    const [, bang, key = "", operator = "", value = ""] = match;
    return { kind: "filter", negated: bang === "!", key, operator: operator === "" ? ":" : `:${operator}`, value };
  });
}
