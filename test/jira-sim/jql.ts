// A JQL subset with Jira's error messages. Syntax errors carry Jira's "Error in the JQL Query:"
// prefix and position; semantic errors (unknown field, unknown value, missing issue key) use the
// exact sentences Jira returns, because clients surface or match on them.

import type { FieldCatalogue } from "./fields.ts";
import type { Issue, Project } from "./model.ts";
import type { Store } from "./store.ts";
import { formatDate, zonedTimeToEpoch } from "./time.ts";

export class JqlError extends Error {}

interface Token {
  type: "word" | "string" | "op" | "lparen" | "rparen" | "comma" | "eof";
  value: string;
  pos: number;
}

const RESERVED_CHARS = new Set(["%", "^", "$", "#", "@", ";", "?", "|", "*", "+"]);
const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "is",
  "order",
  "by",
  "empty",
  "null",
  "asc",
  "desc",
]);
const OPERATORS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

function syntax(message: string, pos: number | null): JqlError {
  const where = pos === null ? "" : ` (line 1, character ${pos + 1})`;
  return new JqlError(`Error in the JQL Query: ${message}${where}`);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '"' || ch === "'") {
      let value = "";
      i++;
      while (i < input.length && input.charAt(i) !== ch) {
        if (input.charAt(i) === "\\" && i + 1 < input.length) {
          i++;
        }
        value += input.charAt(i);
        i++;
      }
      if (i >= input.length) {
        throw syntax(`The quoted string '${value}' has not been completed.`, start);
      }
      i++;
      tokens.push({ type: "string", value, pos: start });
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === "&&" || two === "||") {
      // Jira accepts && and || for AND and OR.
      tokens.push({ type: "word", value: two, pos: start });
      i += 2;
      continue;
    }
    if (two === "!=" || two === ">=" || two === "<=" || two === "!~") {
      tokens.push({ type: "op", value: two, pos: start });
      i += 2;
      continue;
    }
    if (ch === "=" || ch === ">" || ch === "<" || ch === "~") {
      tokens.push({ type: "op", value: ch, pos: start });
      i++;
      continue;
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      tokens.push({
        type: ch === "(" ? "lparen" : ch === ")" ? "rparen" : "comma",
        value: ch,
        pos: start,
      });
      i++;
      continue;
    }
    let value = "";
    while (i < input.length) {
      const c = input.charAt(i);
      if (/\s/.test(c) || "=!<>~(),\"'".includes(c)) {
        break;
      }
      if (RESERVED_CHARS.has(c)) {
        const code = c.charCodeAt(0).toString(16).padStart(4, "0");
        throw syntax(
          `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`,
          i,
        );
      }
      value += c;
      i++;
    }
    if (value === "") {
      // A lone '!' (or similar) that starts no operator.
      throw syntax(`Expecting either a value, list or function but got '${ch}'.`, start);
    }
    tokens.push({ type: "word", value, pos: start });
  }
  tokens.push({ type: "eof", value: "", pos: input.length });
  return tokens;
}

/** A value in a clause: literal, EMPTY, or a function call like currentUser(). */
type Operand =
  | { kind: "literal"; value: string; pos: number }
  | { kind: "empty"; pos: number }
  | { kind: "function"; name: string; args: string[]; pos: number };

type Node =
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; inner: Node }
  | {
      kind: "clause";
      field: string;
      fieldPos: number;
      op: string;
      operands: Operand[];
      list: boolean;
    };

interface OrderTerm {
  field: string;
  pos: number;
  desc: boolean;
}

class Parser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token {
    return this.tokens[this.i] ?? { type: "eof", value: "", pos: 0 };
  }
  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }
  private isWord(t: Token, word: string): boolean {
    return t.type === "word" && t.value.toLowerCase() === word;
  }
  private describe(t: Token): string {
    return t.type === "eof" ? "EOF" : t.value;
  }

  parse(): { where: Node | null; order: OrderTerm[] | null } {
    let where: Node | null = null;
    if (this.peek().type !== "eof" && !this.isWord(this.peek(), "order")) {
      where = this.parseOr();
    }
    let order: OrderTerm[] | null = null;
    if (this.isWord(this.peek(), "order")) {
      this.next();
      const by = this.next();
      if (!this.isWord(by, "by")) {
        throw syntax(`Expecting 'BY' but got '${this.describe(by)}'.`, by.pos);
      }
      order = this.parseOrder();
    }
    const end = this.peek();
    if (end.type !== "eof") {
      throw syntax(`Expecting either 'OR' or 'AND' but got '${end.value}'.`, end.pos);
    }
    return { where, order };
  }

  private parseOrder(): OrderTerm[] {
    const terms: OrderTerm[] = [];
    for (;;) {
      const f = this.next();
      if (f.type !== "word" && f.type !== "string") {
        throw syntax(`Expecting a field name but got '${this.describe(f)}'.`, f.pos);
      }
      let desc = false;
      const dir = this.peek();
      if (this.isWord(dir, "asc") || this.isWord(dir, "desc")) {
        desc = dir.value.toLowerCase() === "desc";
        this.next();
      }
      terms.push({ field: f.value, pos: f.pos, desc });
      if (this.peek().type !== "comma") {
        return terms;
      }
      this.next();
    }
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (
      this.isWord(this.peek(), "or") ||
      (this.peek().type === "word" && this.peek().value === "||")
    ) {
      this.next();
      left = { kind: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (
      this.isWord(this.peek(), "and") ||
      (this.peek().type === "word" && this.peek().value === "&&")
    ) {
      this.next();
      left = { kind: "and", left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): Node {
    const t = this.peek();
    if (this.isWord(t, "not") || (t.type === "word" && t.value === "!")) {
      this.next();
      return { kind: "not", inner: this.parseNot() };
    }
    if (t.type === "lparen") {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.type !== "rparen") {
        throw syntax(`Expecting ')' but got '${this.describe(close)}'.`, close.pos);
      }
      return inner;
    }
    return this.parseClause();
  }

  private parseClause(): Node {
    const f = this.next();
    if (
      (f.type !== "word" && f.type !== "string") ||
      (f.type === "word" && KEYWORDS.has(f.value.toLowerCase()))
    ) {
      throw syntax(`Expecting a field name but got '${this.describe(f)}'.`, f.pos);
    }
    const opTok = this.next();
    let op: string;
    if (opTok.type === "op") {
      op = opTok.value;
    } else if (this.isWord(opTok, "in")) {
      op = "in";
    } else if (this.isWord(opTok, "not") && this.isWord(this.peek(), "in")) {
      this.next();
      op = "not in";
    } else if (this.isWord(opTok, "is")) {
      op = "is";
      if (this.isWord(this.peek(), "not")) {
        this.next();
        op = "is not";
      }
    } else if (opTok.type === "eof") {
      throw syntax(`Expecting operator before the end of the query. ${OPERATORS}`, null);
    } else {
      throw syntax(`Expecting operator but got '${opTok.value}'. ${OPERATORS}`, opTok.pos);
    }
    if (op === "is" || op === "is not") {
      const v = this.next();
      if (!this.isWord(v, "empty") && !this.isWord(v, "null")) {
        throw syntax(`Expecting 'EMPTY' or 'NULL' but got '${this.describe(v)}'.`, v.pos);
      }
      return {
        kind: "clause",
        field: f.value,
        fieldPos: f.pos,
        op,
        operands: [{ kind: "empty", pos: v.pos }],
        list: false,
      };
    }
    if (op === "in" || op === "not in") {
      const open = this.next();
      if (open.type !== "lparen") {
        throw syntax(`Expecting '(' but got '${this.describe(open)}'.`, open.pos);
      }
      const operands: Operand[] = [];
      for (;;) {
        operands.push(this.parseOperand());
        const sep = this.next();
        if (sep.type === "rparen") {
          break;
        }
        if (sep.type !== "comma") {
          throw syntax(`Expecting ',' or ')' but got '${this.describe(sep)}'.`, sep.pos);
        }
      }
      return { kind: "clause", field: f.value, fieldPos: f.pos, op, operands, list: true };
    }
    return {
      kind: "clause",
      field: f.value,
      fieldPos: f.pos,
      op,
      operands: [this.parseOperand()],
      list: false,
    };
  }

  private parseOperand(): Operand {
    const t = this.next();
    if (t.type === "string") {
      return { kind: "literal", value: t.value, pos: t.pos };
    }
    if (t.type === "word") {
      const lower = t.value.toLowerCase();
      if (lower === "empty" || lower === "null") {
        return { kind: "empty", pos: t.pos };
      }
      if (KEYWORDS.has(lower)) {
        throw syntax(
          `Expecting either a value, list or function but got '${t.value}'. You must surround '${t.value}' in quotation marks to use it as a value.`,
          t.pos,
        );
      }
      if (this.peek().type === "lparen") {
        this.next();
        const args: string[] = [];
        while (this.peek().type !== "rparen") {
          const a = this.next();
          if (a.type === "eof") {
            throw syntax("Expecting ')' but reached the end of the query.", null);
          }
          if (a.type !== "comma") {
            args.push(a.value);
          }
        }
        this.next();
        return { kind: "function", name: t.value, args, pos: t.pos };
      }
      return { kind: "literal", value: t.value, pos: t.pos };
    }
    if (t.type === "eof") {
      throw syntax(
        "Expecting either a value, list or function but reached the end of the query.",
        null,
      );
    }
    throw syntax(`Expecting either a value, list or function but got '${t.value}'.`, t.pos);
  }
}

export interface JqlEnv {
  store: Store;
  catalogue: FieldCatalogue;
  currentUserId: string;
  now: number;
}

export interface CompiledJql {
  filter: (issue: Issue) => boolean;
  compare: (a: Issue, b: Issue) => number;
  /** Relative dates and now() make results time dependent (no caching). */
  timeDependent: boolean;
  /** Jira requires a search restriction on /search/jql; an empty WHERE is unbounded. */
  bounded: boolean;
}

type Predicate = (issue: Issue) => boolean;

const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

const UNIT_MS: Record<string, number> = { w: 7 * 86400000, d: 86400000, h: 3600000, m: 60000 };

function parseDateValue(
  raw: string,
  field: string,
  env: JqlEnv,
  state: { timeDependent: boolean },
): number {
  const v = raw.trim();
  if (/^\d+$/.test(v)) {
    return Number(v);
  }
  const abs = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(v);
  if (abs) {
    const [, y, mo, d, h, mi] = abs;
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h ?? 0);
    const minute = Number(mi ?? 0);
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60) {
      return zonedTimeToEpoch(env.store.timeZone, Number(y), month, day, hour, minute);
    }
  }
  const rel = /^([-+])?\s*((?:\d+\s*[wdhm]\s*)+)$/i.exec(v);
  if (rel) {
    const sign = rel[1] === "-" ? -1 : 1;
    let total = 0;
    for (const m of (rel[2] ?? "").matchAll(/(\d+)\s*([wdhm])/gi)) {
      total += Number(m[1]) * (UNIT_MS[(m[2] ?? "m").toLowerCase()] ?? 0);
    }
    state.timeDependent = true;
    return env.now + sign * total;
  }
  throw new JqlError(`Date value '${raw}' for field '${field}' is invalid. ${DATE_FORMATS}`);
}

function startOfDay(env: JqlEnv): number {
  const [y, m, d] = formatDate(env.now, env.store.timeZone).split("-").map(Number);
  return zonedTimeToEpoch(env.store.timeZone, y ?? 1970, m ?? 1, d ?? 1);
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]*-\d+$/i;

function compileClause(
  node: Extract<Node, { kind: "clause" }>,
  env: JqlEnv,
  state: { timeDependent: boolean },
): Predicate {
  const name = node.field.toLowerCase();
  const { store } = env;
  const op = node.op;
  const empties = node.operands.some((o) => o.kind === "empty");
  const negate = op === "!=" || op === "not in" || op === "is not";

  const unsupportedOp = () =>
    new JqlError(
      `The operator '${op.toUpperCase()}' is not supported by the '${node.field}' field.`,
    );

  /** Equality-style clause over a set of ids taken from the issue. */
  const membership = (
    valuesOf: (issue: Issue) => string[],
    resolve: (o: Operand) => string[],
  ): Predicate => {
    if (!["=", "!=", "in", "not in", "is", "is not"].includes(op)) {
      throw unsupportedOp();
    }
    const wanted = new Set<string>();
    for (const o of node.operands) {
      if (o.kind !== "empty") {
        for (const v of resolve(o)) {
          wanted.add(v);
        }
      }
    }
    return (issue) => {
      const values = valuesOf(issue);
      const isEmpty = values.length === 0;
      const hit = values.some((v) => wanted.has(v)) || (empties && isEmpty);
      // Like Jira, negative operators never match issues whose field is empty.
      return negate ? !isEmpty && !values.some((v) => wanted.has(v)) : hit;
    };
  };

  const literal = (o: Operand): string => {
    if (o.kind === "function") {
      throw new JqlError(`Unable to find JQL function '${o.name}(${o.args.join(", ")})'.`);
    }
    return o.kind === "literal" ? o.value : "";
  };

  const byNameOrId = <T extends { id: string; name: string }>(
    items: Iterable<T>,
    field: string,
  ) => {
    const list = [...items];
    return (o: Operand): string[] => {
      const v = literal(o);
      const lower = v.toLowerCase();
      const found = list.filter((x) => x.id === v || x.name.toLowerCase() === lower);
      if (found.length === 0) {
        throw new JqlError(`The value '${v}' does not exist for the field '${field}'.`);
      }
      return found.map((x) => x.id);
    };
  };

  const userOperand =
    (field: string) =>
    (o: Operand): string[] => {
      if (o.kind === "function") {
        if (o.name.toLowerCase() === "currentuser") {
          return [env.currentUserId];
        }
        throw new JqlError(`Unable to find JQL function '${o.name}(${o.args.join(", ")})'.`);
      }
      const v = literal(o);
      const user =
        store.userById.get(v) ??
        store.users.find(
          (u) =>
            u.email?.toLowerCase() === v.toLowerCase() ||
            u.displayName.toLowerCase() === v.toLowerCase(),
        );
      if (!user) {
        throw new JqlError(`The value '${v}' does not exist for the field '${field}'.`);
      }
      return [user.accountId];
    };

  const date = (getter: (issue: Issue) => number | null, field: string): Predicate => {
    if (op === "is" || op === "is not") {
      return (issue) => (getter(issue) === null) === (op === "is");
    }
    if (!["=", "!=", "<", "<=", ">", ">="].includes(op) || node.list) {
      throw unsupportedOp();
    }
    const o = node.operands[0];
    if (!o) {
      throw syntax("Expecting a value.", node.fieldPos);
    }
    let at: number;
    if (o.kind === "function") {
      const fn = o.name.toLowerCase();
      state.timeDependent = true;
      if (fn === "now") {
        at = env.now;
      } else if (fn === "startofday") {
        at = startOfDay(env);
      } else if (fn === "endofday") {
        at = startOfDay(env) + 86400000 - 1;
      } else {
        throw new JqlError(`Unable to find JQL function '${o.name}(${o.args.join(", ")})'.`);
      }
    } else if (o.kind === "empty") {
      return (issue) => (getter(issue) === null) === (op === "=");
    } else {
      at = parseDateValue(o.value, field, env, state);
    }
    return (issue) => {
      const v = getter(issue);
      if (v === null) {
        return false;
      }
      switch (op) {
        case "=":
          return v === at;
        case "!=":
          return v !== at;
        case "<":
          return v < at;
        case "<=":
          return v <= at;
        case ">":
          return v > at;
        default:
          return v >= at;
      }
    };
  };

  switch (name) {
    case "project":
      return membership(
        (i) => [i.projectId],
        (o) => {
          const v = literal(o);
          const p: Project | undefined =
            store.projectByKey.get(v.toUpperCase()) ??
            store.projectById.get(v) ??
            store.projects.find((x) => x.name.toLowerCase() === v.toLowerCase());
          if (!p) {
            throw new JqlError(`The value '${v}' does not exist for the field 'project'.`);
          }
          return [p.id];
        },
      );
    case "key":
    case "issuekey":
    case "id":
    case "issue":
      return membership(
        (i) => [i.id],
        (o) => {
          const v = literal(o).trim();
          if (/^\d+$/.test(v)) {
            const issue = store.getIssue(v);
            if (!issue) {
              throw new JqlError(
                `An issue with key '${v}' does not exist or you do not have permission to see it.`,
              );
            }
            return [issue.id];
          }
          if (!ISSUE_KEY.test(v)) {
            throw new JqlError(`The issue key '${v}' for field '${node.field}' is invalid.`);
          }
          const issue = store.getIssue(v);
          if (!issue) {
            throw new JqlError(
              `An issue with key '${v}' does not exist or you do not have permission to see it.`,
            );
          }
          return [issue.id];
        },
      );
    case "updated":
    case "updateddate":
      return date((i) => i.updated, node.field);
    case "created":
    case "createddate":
      return date((i) => i.created, node.field);
    case "resolved":
    case "resolutiondate":
      return date((i) => i.resolutionDate, node.field);
    case "status":
      return membership((i) => [i.statusId], byNameOrId(store.statusById.values(), "status"));
    case "statuscategory": {
      const cats = [
        { id: "2", name: "To Do", key: "new" },
        { id: "4", name: "In Progress", key: "indeterminate" },
        { id: "3", name: "Done", key: "done" },
      ];
      return membership(
        (i) => {
          const cat = store.statusById.get(i.statusId)?.category;
          return [cats.find((c) => c.key === cat)?.id ?? ""];
        },
        (o) => {
          const v = literal(o).toLowerCase();
          const c = cats.find((x) => x.id === v || x.key === v || x.name.toLowerCase() === v);
          if (!c) {
            throw new JqlError(
              `The value '${literal(o)}' does not exist for the field 'statusCategory'.`,
            );
          }
          return [c.id];
        },
      );
    }
    case "issuetype":
    case "type":
      return membership(
        (i) => [i.issueTypeId],
        byNameOrId(store.issueTypeById.values(), node.field),
      );
    case "priority":
      return membership(
        (i) => (i.priorityId ? [i.priorityId] : []),
        byNameOrId(store.priorityById.values(), "priority"),
      );
    case "resolution": {
      // "Unresolved" is Jira's name for an empty resolution: it matches like EMPTY.
      const unresolved = node.operands.some(
        (o) => o.kind === "literal" && o.value.toLowerCase() === "unresolved",
      );
      const base = membership(
        (i) => (i.resolutionId ? [i.resolutionId] : []),
        (o) =>
          literal(o).toLowerCase() === "unresolved"
            ? []
            : byNameOrId(store.resolutionById.values(), "resolution")(o),
      );
      if (!unresolved) {
        return base;
      }
      return negate
        ? (i) => i.resolutionId !== null && base(i)
        : (i) => i.resolutionId === null || base(i);
    }
    case "assignee":
      return membership((i) => (i.assigneeId ? [i.assigneeId] : []), userOperand("assignee"));
    case "reporter":
      return membership((i) => [i.reporterId], userOperand("reporter"));
    case "creator":
      return membership((i) => [i.creatorId], userOperand("creator"));
    case "labels":
      return membership(
        (i) => i.labels,
        (o) => [literal(o)],
      );
    case "parent":
      return membership(
        (i) => (i.parentId ? [i.parentId] : []),
        (o) => {
          const issue = store.getIssue(literal(o));
          if (!issue) {
            throw new JqlError(
              `An issue with key '${literal(o)}' does not exist or you do not have permission to see it.`,
            );
          }
          return [issue.id];
        },
      );
    default:
      if (env.catalogue.byClause.has(name)) {
        throw new JqlError(
          `Error in the JQL Query: the Jira simulator does not support searching by '${node.field}' (line 1, character ${node.fieldPos + 1})`,
        );
      }
      throw new JqlError(
        `Field '${node.field}' does not exist or you do not have permission to view it.`,
      );
  }
}

function compileNode(node: Node, env: JqlEnv, state: { timeDependent: boolean }): Predicate {
  switch (node.kind) {
    case "and": {
      const l = compileNode(node.left, env, state);
      const r = compileNode(node.right, env, state);
      return (i) => l(i) && r(i);
    }
    case "or": {
      const l = compileNode(node.left, env, state);
      const r = compileNode(node.right, env, state);
      return (i) => l(i) || r(i);
    }
    case "not": {
      const inner = compileNode(node.inner, env, state);
      return (i) => !inner(i);
    }
    default:
      return compileClause(node, env, state);
  }
}

function keyParts(issue: Issue): [string, number] {
  const dash = issue.key.lastIndexOf("-");
  return [issue.key.slice(0, dash), Number(issue.key.slice(dash + 1))];
}

type Comparator = (a: Issue, b: Issue) => number;

function sortKey(term: OrderTerm, env: JqlEnv): Comparator {
  const name = term.field.toLowerCase();
  const num =
    (get: (i: Issue) => number | null): Comparator =>
    (a, b) => {
      const x = get(a);
      const y = get(b);
      if (x === y) {
        return 0;
      }
      // Empty values sort last ascending, as in Jira.
      if (x === null) {
        return 1;
      }
      if (y === null) {
        return -1;
      }
      return x - y;
    };
  switch (name) {
    case "updated":
    case "updateddate":
      return num((i) => i.updated);
    case "created":
    case "createddate":
      return num((i) => i.created);
    case "resolved":
    case "resolutiondate":
      return num((i) => i.resolutionDate);
    case "id":
      return num((i) => Number(i.id));
    case "key":
    case "issuekey":
      return (a, b) => {
        const [pa, na] = keyParts(a);
        const [pb, nb] = keyParts(b);
        return pa === pb ? na - nb : pa < pb ? -1 : 1;
      };
    case "project":
      return (a, b) => {
        const pa = env.store.projectById.get(a.projectId)?.name ?? "";
        const pb = env.store.projectById.get(b.projectId)?.name ?? "";
        return pa.localeCompare(pb);
      };
    case "summary":
      return (a, b) => a.summary.localeCompare(b.summary);
    case "assignee":
    case "reporter": {
      // People sort by display name; unassigned issues last (ascending), as in Jira.
      const nameOf = (i: Issue) => {
        const id = name === "assignee" ? i.assigneeId : i.reporterId;
        return id ? (env.store.userById.get(id)?.displayName ?? null) : null;
      };
      return (a, b) => {
        const x = nameOf(a);
        const y = nameOf(b);
        if (x === y) {
          return 0;
        }
        if (x === null || y === null) {
          return x === null ? 1 : -1;
        }
        return x < y ? -1 : 1;
      };
    }
    case "priority":
      return num((i) => (i.priorityId ? -Number(i.priorityId) : null));
    default:
      if (env.catalogue.byClause.has(name)) {
        throw new JqlError(`Not able to sort using field '${term.field}'.`);
      }
      throw new JqlError(
        `Field '${term.field}' does not exist or you do not have permission to view it.`,
      );
  }
}

export function compileJql(jql: string, env: JqlEnv): CompiledJql {
  const { where, order } = new Parser(tokenize(jql)).parse();
  const state = { timeDependent: false };
  const filter = where ? compileNode(where, env, state) : () => true;
  const terms = order ?? [{ field: "created", pos: 0, desc: true }];
  const comparators = terms.map((t) => {
    const c = sortKey(t, env);
    return t.desc ? (a: Issue, b: Issue) => -c(a, b) : c;
  });
  // A final id tiebreak keeps pages stable when sort keys tie (same `updated`).
  comparators.push((a, b) => Number(a.id) - Number(b.id));
  const compare = (a: Issue, b: Issue) => {
    for (const c of comparators) {
      const r = c(a, b);
      if (r !== 0) {
        return r;
      }
    }
    return 0;
  };
  return { filter, compare, timeDependent: state.timeDependent, bounded: where !== null };
}
