/**
 * The built-in `ask` grammar: a small, documented set of question shapes (README "Question
 * shapes"), parsed against the tenant's own vocabulary (project keys, statuses, types, priorities,
 * labels, components, people). Anything left over that is not filler makes the question
 * unsupported, so an answer never silently ignores part of what was asked.
 */

export interface Vocabulary {
  projects: string[];
  statuses: string[];
  types: string[];
  priorities: string[];
  labels: string[];
  components: string[];
  people: { accountId: string; displayName: string }[];
}

export type Measure = "count" | "list" | "lead_time" | "cycle_time" | "throughput";
export type Dimension =
  | "status"
  | "type"
  | "priority"
  | "assignee"
  | "project"
  | "label"
  | "component"
  | "month"
  | "week";
export type DateField = "created" | "resolved" | "updated";

export type Filter =
  | { kind: "equals"; column: "project_key" | "status" | "issue_type" | "priority"; value: string }
  | { kind: "assignee"; accountId: string; name: string }
  | { kind: "unassigned" }
  | { kind: "label" | "component"; value: string }
  | { kind: "category"; done: boolean }
  | { kind: "date"; field: DateField; from?: string; to?: string };

export interface ParsedQuestion {
  measure: Measure;
  groupBy: Dimension | undefined;
  filters: Filter[];
  /** Human wording of the filters, for the answer sentence. */
  described: string[];
}

export type ParseResult = { ok: true; question: ParsedQuestion } | { ok: false; reason: string };

const DAY = 86_400_000;
const FILLER = new Set(
  (
    "a all an and any are at be been currently did do does for from give has have how i in is " +
    "issue issues it list many me now of our please right show so that the there these those " +
    "ticket tickets to total us was we were what which with whose work items item currently"
  ).split(" "),
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const DATE_FIELDS: Record<string, DateField> = {
  created: "created",
  opened: "created",
  raised: "created",
  reported: "created",
  resolved: "resolved",
  closed: "resolved",
  completed: "resolved",
  finished: "resolved",
  updated: "updated",
  changed: "updated",
};
const DATE_WORD =
  "(created|opened|raised|reported|resolved|closed|completed|finished|updated|changed)";
const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };

const DIMENSIONS: Record<string, Dimension> = {
  status: "status",
  state: "status",
  type: "type",
  "issue type": "type",
  priority: "priority",
  assignee: "assignee",
  person: "assignee",
  project: "project",
  label: "label",
  component: "component",
  month: "month",
  week: "week",
};

class Cursor {
  text: string;
  readonly filters: Filter[] = [];
  readonly described: string[] = [];

  constructor(question: string) {
    this.text = ` ${question} `;
  }

  /** Finds `pattern`, blanks what it matched, returns the match. */
  take(pattern: RegExp): RegExpExecArray | undefined {
    const match = pattern.exec(this.text);
    if (!match) {
      return undefined;
    }
    this.text =
      this.text.slice(0, match.index) +
      " ".repeat(match[0].length) +
      this.text.slice(match.index + match[0].length);
    return match;
  }

  /** Finds one of `values` (longest first, case-insensitive) after an optional `prefix`. */
  takeValue(values: readonly string[], prefix: string, suffix = ""): string | undefined {
    const sorted = [...values].filter((v) => v.trim() !== "").sort((a, b) => b.length - a.length);
    for (const value of sorted) {
      const quoted = `["']?${escapeRegExp(value.toLowerCase())}["']?`;
      if (
        this.take(
          new RegExp(`(?<![\\p{L}\\p{N}])${prefix}${quoted}${suffix}(?![\\p{L}\\p{N}])`, "u"),
        )
      ) {
        return value;
      }
    }
    return undefined;
  }

  add(filter: Filter, description: string): void {
    this.filters.push(filter);
    this.described.push(description);
  }

  leftover(): string[] {
    return (this.text.match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []).filter((w) => !FILLER.has(w));
  }
}

function takeMeasure(c: Cursor): Measure | undefined {
  if (c.take(/\b(?:average|avg|mean|median|typical)\s+(?:lead|resolution)\s+time\b/)) {
    return "lead_time";
  }
  if (c.take(/\b(?:average|avg|mean|median|typical)\s+cycle\s+time\b/)) {
    return "cycle_time";
  }
  if (c.take(/\b(?:lead|resolution)\s+time\b/)) {
    return "lead_time";
  }
  if (c.take(/\bcycle\s+time\b/)) {
    return "cycle_time";
  }
  if (c.take(/\bthroughput\b/)) {
    return "throughput";
  }
  if (c.take(/^\s*(?:how many|count(?: of)?|number of|total number of|count the)\b/)) {
    return "count";
  }
  if (c.take(/^\s*(?:list|show(?: me)?|which|find|what are|give me|display)\b/)) {
    return "list";
  }
  return undefined;
}

/** Applies `handle` to every match of `pattern`, blanking each. */
function each(c: Cursor, pattern: RegExp, handle: (m: RegExpExecArray) => void): void {
  for (let m = c.take(pattern); m; m = c.take(pattern)) {
    handle(m);
  }
}

const dated = (rest: string) => new RegExp(`\\b${DATE_WORD}\\s+${rest}\\b`);

function takeDates(c: Cursor, now: number): void {
  const field = (word: string | undefined) => DATE_FIELDS[word ?? ""] ?? "created";
  const range = (
    m: RegExpExecArray,
    from: string | undefined,
    to: string | undefined,
    text: string,
  ) => {
    const f = field(m[1]);
    c.add(
      { kind: "date", field: f, ...(from ? { from } : {}), ...(to ? { to } : {}) },
      `${f} ${text}`,
    );
  };
  const day = "(\\d{4}-\\d{2}-\\d{2})";
  each(c, dated(`between\\s+${day}\\s+and\\s+${day}`), (m) =>
    range(m, m[2], m[3], `between ${m[2]} and ${m[3]}`),
  );
  each(
    c,
    dated("(?:in\\s+)?(?:the\\s+)?(?:last|past)\\s+(\\d{1,4})?\\s*(day|week|month|year)s?"),
    (m) => {
      const n = Number(m[2] ?? 1);
      const days = n * (UNIT_DAYS[m[3] ?? "day"] ?? 1);
      range(
        m,
        isoDay(now - days * DAY),
        undefined,
        `in the last ${n} ${m[3]}${n === 1 ? "" : "s"}`,
      );
    },
  );
  each(c, dated(`(?:since|after|from)\\s+${day}`), (m) =>
    range(m, m[2], undefined, `since ${m[2]}`),
  );
  each(c, dated(`(?:before|until)\\s+${day}`), (m) => range(m, undefined, m[2], `before ${m[2]}`));
  each(c, dated("in\\s+(\\d{4})"), (m) => {
    const year = Number(m[2]);
    range(m, `${year}-01-01`, `${year + 1}-01-01`, `in ${year}`);
  });
  each(c, dated("(today|this week|this month|this year)"), (m) => {
    const spans: Record<string, number> = {
      today: 1,
      "this week": 7,
      "this month": 30,
      "this year": 365,
    };
    const days = spans[m[2] ?? "today"] ?? 1;
    range(m, isoDay(now - (days - 1) * DAY), undefined, m[2] ?? "today");
  });
}

function takeGroup(c: Cursor): Dimension | undefined {
  const m = c.take(
    /\b(?:grouped by|broken down by|split by|by|per|for each|for every|each)\s+(issue type|status|state|type|priority|assignee|person|project|label|component|month|week)s?\b/,
  );
  return m ? DIMENSIONS[m[1] ?? ""] : undefined;
}

function takeFilters(c: Cursor, v: Vocabulary): void {
  const person = (prefix: string) => {
    const names = v.people.map((p) => p.displayName);
    const name = c.takeValue(names, prefix);
    return name ? v.people.find((p) => p.displayName === name) : undefined;
  };
  if (c.take(/\b(?:unassigned|not assigned|without (?:an )?assignee)\b/)) {
    c.add({ kind: "unassigned" }, "unassigned");
  }
  const assignee = person("(?:assigned to|owned by|for assignee|assignee)\\s+");
  if (assignee) {
    c.add(
      { kind: "assignee", accountId: assignee.accountId, name: assignee.displayName },
      `assigned to ${assignee.displayName}`,
    );
  }
  const label = c.takeValue(
    v.labels,
    "(?:labell?ed|with (?:the )?label|tagged(?: with)?|label)\\s+",
  );
  if (label) {
    c.add({ kind: "label", value: label }, `labelled ${label}`);
  }
  const component = c.takeValue(v.components, "(?:in |with |of )?(?:the )?component\\s+");
  if (component) {
    c.add({ kind: "component", value: component }, `in component ${component}`);
  }
  const priority =
    c.takeValue(v.priorities, "(?:with |of )?priority\\s+") ??
    c.takeValue(v.priorities, "", "\\s+priority") ??
    c.takeValue(v.priorities, "(?:with |of )?", "[- ]prio(?:rity)?");
  if (priority) {
    c.add({ kind: "equals", column: "priority", value: priority }, `with priority ${priority}`);
  }
  const status =
    c.takeValue(v.statuses, "(?:with |in )?(?:the )?(?:status|state)\\s+(?:of |is |=\\s*)?") ??
    c.takeValue(v.statuses, "(?:that are |which are |are )?(?:in |with status )?");
  if (status) {
    c.add({ kind: "equals", column: "status", value: status }, `in status ${status}`);
  }
  const type =
    c.takeValue(v.types, "(?:of )?(?:issue )?type\\s+") ?? c.takeValue(v.types, "", "s?");
  if (type) {
    c.add({ kind: "equals", column: "issue_type", value: type }, `of type ${type}`);
  }
  const project =
    c.takeValue(v.projects, "(?:in |for |of |from )?(?:the )?project\\s+") ??
    c.takeValue(v.projects, "(?:in |for |of |from )");
  if (project) {
    c.add({ kind: "equals", column: "project_key", value: project }, `in project ${project}`);
  }
  if (c.take(/\b(?:open|unresolved|not done|not resolved|outstanding|pending|active)\b/)) {
    c.add({ kind: "category", done: false }, "not done");
  } else if (c.take(/\b(?:done|closed|resolved|completed|finished)\b/)) {
    c.add({ kind: "category", done: true }, "done");
  }
}

/**
 * Parses one question. `now` anchors relative dates ("created in the last 2 weeks").
 *
 * @example
 * parseQuestion("How many bugs in project WEB by status?", vocabulary, Date.now())
 * // { ok: true, question: { measure: "count", groupBy: "status", filters: [...] } }
 */
export function parseQuestion(question: string, vocabulary: Vocabulary, now: number): ParseResult {
  const normal = question
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[?!.]+\s*$/, "")
    .replace(/\s+/g, " ")
    .trim();
  const c = new Cursor(normal);
  const measure = takeMeasure(c);
  if (!measure) {
    return {
      ok: false,
      reason:
        'Start with "how many", "list"/"show", or ask for "average lead time", "cycle time" or "throughput".',
    };
  }
  takeDates(c, now);
  const groupBy = takeGroup(c);
  takeFilters(c, vocabulary);
  const leftover = c.leftover();
  if (leftover.length > 0) {
    return {
      ok: false,
      reason: `The built-in provider did not understand: "${leftover.join(" ")}".`,
    };
  }
  return { ok: true, question: { measure, groupBy, filters: c.filters, described: c.described } };
}
