/**
 * A recursive-descent parser for JQL (Atlassian's grammar): OR binds loosest, then AND, then NOT;
 * keywords and operators are case-insensitive (`&&`, `||` and `!` too); `cf[10010]` and quoted
 * field names; `EMPTY`/`NULL`; lists; functions with arguments; `WAS`/`CHANGED` with their
 * predicates; `ORDER BY`. Errors are Jira's sentences with the character position.
 */
import type {
  Clause,
  FieldRef,
  HistoryPredicate,
  HistoryWord,
  JqlNode,
  JqlQuery,
  Operand,
  Operator,
  OrderTerm,
} from "./ast";
import { jqlSyntaxError } from "./errors";
import { type Token, tokenize } from "./lexer";

/** Words that end a clause or a list, so they must be quoted to be used as values. */
const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "is",
  "was",
  "changed",
  "order",
  "by",
  "empty",
  "null",
  "asc",
  "desc",
]);
const HISTORY_WORDS = new Set<HistoryWord>(["by", "during", "before", "after", "on", "from", "to"]);
const OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS', 'IS NOT', 'WAS', 'WAS IN', 'WAS NOT', 'WAS NOT IN' and 'CHANGED'.";
const MAX_DEPTH = 50;

const describe = (t: Token) => (t.type === "eof" ? "EOF" : t.value);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[this.i + offset] ?? { type: "eof", value: "", pos: 0 };
  }
  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  private is(t: Token, word: string): boolean {
    return t.type === "word" && t.value.toLowerCase() === word;
  }

  parse(): JqlQuery {
    let where: JqlNode | null = null;
    if (this.peek().type !== "eof" && !this.is(this.peek(), "order")) {
      where = this.parseOr();
    }
    let orderBy: OrderTerm[] | null = null;
    if (this.is(this.peek(), "order")) {
      this.next();
      const by = this.next();
      if (!this.is(by, "by")) {
        throw jqlSyntaxError(`Expecting 'by' but got '${describe(by)}'.`, by.pos);
      }
      orderBy = this.parseOrder();
    }
    const end = this.peek();
    if (end.type !== "eof") {
      throw jqlSyntaxError(`Expecting either 'OR' or 'AND' but got '${end.value}'.`, end.pos);
    }
    return { where, orderBy };
  }

  private parseOrder(): OrderTerm[] {
    const terms: OrderTerm[] = [];
    for (;;) {
      const field = this.parseField();
      let descending: boolean | null = null;
      if (this.is(this.peek(), "asc") || this.is(this.peek(), "desc")) {
        descending = this.next().value.toLowerCase() === "desc";
      }
      terms.push({ field, descending });
      if (this.peek().type !== "comma") {
        return terms;
      }
      this.next();
    }
  }

  private parseOr(): JqlNode {
    const children = [this.parseAnd()];
    while (this.is(this.peek(), "or") || this.is(this.peek(), "||")) {
      this.next();
      children.push(this.parseAnd());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "or", children };
  }

  private parseAnd(): JqlNode {
    const children = [this.parseNot()];
    while (this.is(this.peek(), "and") || this.is(this.peek(), "&&")) {
      this.next();
      children.push(this.parseNot());
    }
    return children.length === 1 && children[0] ? children[0] : { kind: "and", children };
  }

  private parseNot(): JqlNode {
    const t = this.peek();
    if (++this.depth > MAX_DEPTH) {
      throw jqlSyntaxError("The query is nested too deeply.", t.pos);
    }
    try {
      if (this.is(t, "not") || this.is(t, "!")) {
        this.next();
        return { kind: "not", child: this.parseNot() };
      }
      if (t.type === "lparen") {
        this.next();
        const inner = this.parseOr();
        const close = this.next();
        if (close.type !== "rparen") {
          throw jqlSyntaxError(`Expecting ')' but got '${describe(close)}'.`, close.pos);
        }
        return inner;
      }
      return this.parseClause();
    } finally {
      this.depth--;
    }
  }

  private parseField(): FieldRef {
    const t = this.next();
    if (t.type === "eof") {
      throw jqlSyntaxError("Expecting a field name at the end of the query.", null);
    }
    if (
      (t.type !== "word" && t.type !== "string") ||
      (t.type === "word" && KEYWORDS.has(t.value.toLowerCase()))
    ) {
      throw jqlSyntaxError(`Expecting a field name but got '${describe(t)}'.`, t.pos);
    }
    if (t.type === "word" && t.value.toLowerCase() === "cf" && this.peek().type === "lbracket") {
      this.next();
      const id = this.next();
      const close = this.next();
      if (!/^\d{1,18}$/.test(id.value) || close.type !== "rbracket") {
        throw jqlSyntaxError(
          `Expecting a custom field id as cf[10010] but got '${describe(id)}'.`,
          id.pos,
        );
      }
      return { name: `cf[${id.value}]`, customId: id.value, pos: t.pos };
    }
    return { name: t.value, pos: t.pos };
  }

  private parseOperator(): { op: Operator; pos: number } {
    const t = this.next();
    const pos = t.pos;
    if (t.type === "op") {
      return { op: t.value as Operator, pos };
    }
    const word = t.type === "word" ? t.value.toLowerCase() : "";
    if (word === "in" || word === "changed") {
      return { op: word, pos };
    }
    if (word === "not" && this.is(this.peek(), "in")) {
      this.next();
      return { op: "not in", pos };
    }
    if (word === "is") {
      return { op: this.is(this.peek(), "not") && this.next() ? "is not" : "is", pos };
    }
    if (word === "was") {
      const not = this.is(this.peek(), "not") && this.next() !== undefined;
      const inList = this.is(this.peek(), "in") && this.next() !== undefined;
      return { op: `was${not ? " not" : ""}${inList ? " in" : ""}` as Operator, pos };
    }
    if (t.type === "eof") {
      throw jqlSyntaxError(`Expecting operator before the end of the query. ${OPERATORS}`, null);
    }
    throw jqlSyntaxError(`Expecting operator but got '${t.value}'. ${OPERATORS}`, pos);
  }

  private parseClause(): Clause {
    const field = this.parseField();
    const { op, pos: opPos } = this.parseOperator();
    const clause: Clause = { kind: "clause", field, op, opPos, history: [] };
    if (op === "is" || op === "is not") {
      const v = this.next();
      if (!this.is(v, "empty") && !this.is(v, "null")) {
        throw jqlSyntaxError(`Expecting 'EMPTY' or 'NULL' but got '${describe(v)}'.`, v.pos);
      }
      clause.operand = { kind: "empty", pos: v.pos };
      return clause;
    }
    if (op !== "changed") {
      clause.operand = this.parseOperand();
      const listOp = op === "in" || op === "not in" || op.endsWith(" in");
      if (listOp && clause.operand.kind !== "list" && clause.operand.kind !== "function") {
        throw jqlSyntaxError(
          `Expecting '(' but got '${describe(this.tokens[this.i - 1] ?? this.peek())}'.`,
          clause.operand.pos,
        );
      }
      if (!listOp && clause.operand.kind === "list") {
        throw jqlSyntaxError(
          `The operator '${op.toUpperCase()}' does not support a list of values.`,
          opPos,
        );
      }
    }
    if (op.startsWith("was") || op === "changed") {
      clause.history = this.parseHistory();
    }
    return clause;
  }

  private parseHistory(): HistoryPredicate[] {
    const predicates: HistoryPredicate[] = [];
    for (;;) {
      const t = this.peek();
      const word = t.type === "word" ? (t.value.toLowerCase() as HistoryWord) : undefined;
      if (!word || !HISTORY_WORDS.has(word)) {
        return predicates;
      }
      this.next();
      predicates.push({ word, operand: this.parseOperand(), pos: t.pos });
    }
  }

  private parseOperand(): Operand {
    const t = this.next();
    if (t.type === "string") {
      return { kind: "value", value: t.value, pos: t.pos };
    }
    if (t.type === "lparen") {
      const items: Operand[] = [];
      for (;;) {
        items.push(this.parseOperand());
        const sep = this.next();
        if (sep.type === "rparen") {
          return { kind: "list", items, pos: t.pos };
        }
        if (sep.type !== "comma") {
          throw jqlSyntaxError(
            `Expecting ',' or ')' but got '${describe(sep)}'.`,
            sep.type === "eof" ? null : sep.pos,
          );
        }
      }
    }
    if (t.type === "word") {
      const lower = t.value.toLowerCase();
      if (lower === "empty" || lower === "null") {
        return { kind: "empty", pos: t.pos };
      }
      if (KEYWORDS.has(lower)) {
        throw jqlSyntaxError(
          `Expecting either a value, list or function but got '${t.value}'. You must surround '${t.value}' in quotation marks to use it as a value.`,
          t.pos,
        );
      }
      if (this.peek().type === "lparen") {
        return this.parseFunction(t);
      }
      return { kind: "value", value: t.value, pos: t.pos };
    }
    if (t.type === "eof") {
      throw jqlSyntaxError(
        "Expecting either a value, list or function but reached the end of the query.",
        null,
      );
    }
    throw jqlSyntaxError(`Expecting either a value, list or function but got '${t.value}'.`, t.pos);
  }

  private parseFunction(name: Token): Operand {
    this.next();
    const args: string[] = [];
    if (this.peek().type === "rparen") {
      this.next();
      return { kind: "function", name: name.value, args, pos: name.pos };
    }
    for (;;) {
      const a = this.next();
      if (a.type !== "word" && a.type !== "string") {
        throw jqlSyntaxError(
          `Expecting a function argument but got '${describe(a)}'.`,
          a.type === "eof" ? null : a.pos,
        );
      }
      args.push(a.value);
      const sep = this.next();
      if (sep.type === "rparen") {
        return { kind: "function", name: name.value, args, pos: name.pos };
      }
      if (sep.type !== "comma") {
        throw jqlSyntaxError(
          `Expecting ',' or ')' but got '${describe(sep)}'.`,
          sep.type === "eof" ? null : sep.pos,
        );
      }
    }
  }
}

const MAX_JQL_CHARS = 10_000;

/**
 * Parses a JQL query. Throws a DomainError (code `invalid_jql`) worded as Jira's.
 *
 * @example
 * parseJql('project = PROJ AND status WAS "In Progress" BY currentUser() ORDER BY priority DESC')
 */
export function parseJql(jql: string): JqlQuery {
  if (jql.length > MAX_JQL_CHARS) {
    throw jqlSyntaxError(`The query is longer than ${MAX_JQL_CHARS} characters.`, null);
  }
  // Postgres text cannot hold NUL, nor UTF-8 a lone surrogate: refuse them before any lookup.
  const surrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(
    jql,
  );
  const bad = jql.includes("\u0000") ? jql.indexOf("\u0000") : surrogate?.index;
  if (bad !== undefined) {
    throw jqlSyntaxError("The query contains a character that is not allowed.", bad);
  }
  return new Parser(tokenize(jql)).parse();
}
