/**
 * Jira's text search (`~`) as a Postgres tsquery: every word must occur (stemmed, stop words
 * ignored), `"quoted phrases"` must occur in order, `word*` matches a prefix, `-word` excludes and
 * `OR` between terms is either. The result is text for `to_tsquery('english', $1)`: only letters
 * and digits of the input reach it, each lexeme quoted, so it can never be malformed.
 */

export type Weights = "A" | "B" | "C" | "ABC";

const WORD = /[\p{L}\p{N}]+/gu;
const TERM = /(-?)"([^"]*)"|(\S+)/g;

function lexemes(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => m[0].toLowerCase()).slice(0, 32);
}

function term(words: string[], prefix: boolean, weights: string): string | null {
  if (words.length === 0) {
    return null;
  }
  const last = words.length - 1;
  const parts = words.map((w, i) => {
    const suffix = `${prefix && i === last ? "*" : ""}${weights}`;
    return suffix ? `'${w}':${suffix}` : `'${w}'`;
  });
  return parts.length === 1 ? (parts[0] ?? null) : `(${parts.join(" <-> ")})`;
}

/**
 * The tsquery text of a `~` value restricted to the given weights (summary A, description B,
 * comments C); null when it has no searchable word.
 *
 * @example
 * textQuery('login "time out" fail*', "A") // "'login':A & ('time':A <-> 'out':A) & 'fail':*A"
 */
export function textQuery(value: string, weights: Weights): string | null {
  const w = weights === "ABC" ? "" : weights;
  const groups: string[][] = [[]];
  for (const m of value.matchAll(TERM)) {
    const [, minus, phrase, bare] = m;
    if (bare === "OR" || bare === "||") {
      groups.push([]);
      continue;
    }
    if (bare === "AND" || bare === "&&") {
      continue;
    }
    const negated = minus === "-" || (bare?.startsWith("-") ?? false) || bare?.startsWith("!");
    const raw = phrase ?? bare?.replace(/^[-!+]/, "") ?? "";
    const built = term(lexemes(raw), phrase === undefined && raw.endsWith("*"), w);
    if (built) {
      groups.at(-1)?.push(negated ? `!${built}` : built);
    }
  }
  const ored = groups.filter((g) => g.some((t) => !t.startsWith("!"))).map((g) => g.join(" & "));
  if (ored.length === 0) {
    return null;
  }
  return ored.length === 1 ? (ored[0] ?? null) : ored.map((g) => `(${g})`).join(" | ");
}
