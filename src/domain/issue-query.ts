/**
 * The issue search's query language, parsed from the URL's parameters into a normalised form:
 * repeated parameters and comma lists, validated values, ranges as [from, before) and a sort.
 * Pure: the SQL is built elsewhere (application/issues/issue-filters.ts).
 */
import { type FieldError, invalid } from "./errors";

export const SORT_FIELDS = ["updated", "created", "priority", "key"] as const;
/** `relevance` is what a full-text search sorts by when no sort is asked for. */
export type SortField = (typeof SORT_FIELDS)[number] | "relevance";
export const STATUS_CATEGORIES = ["new", "indeterminate", "done"] as const;

/** A half-open time range [from, before). */
export interface TimeRange {
  from?: Date;
  before?: Date;
}

export interface IssueFilters {
  instanceIds: string[];
  projects: string[];
  statuses: string[];
  statusCategories: string[];
  types: string[];
  priorities: string[];
  assignees: string[];
  labels: string[];
  updated: TimeRange;
  created: TimeRange;
  q?: string;
  /** Per field (ascending id), the values one of which the field must hold (AND across fields). */
  customFields: { fieldId: string; values: string[] }[];
}

export interface IssueSort {
  field: SortField;
  descending: boolean;
}

export interface IssueQuery {
  filters: IssueFilters;
  sort: IssueSort;
}

type ListKey = {
  [K in keyof IssueFilters]-?: IssueFilters[K] extends string[] ? K : never;
}[keyof IssueFilters];

/** Multi-valued parameters: repeat them or give a comma-separated list; values are OR-ed. */
const LISTS: Record<string, { key: ListKey; check: (v: string) => string | null }> = {
  instanceId: { key: "instanceIds", check: (v) => (UUID.test(v) ? v.toLowerCase() : null) },
  project: { key: "projects", check: (v) => (PROJECT.test(v) ? v.toUpperCase() : null) },
  status: { key: "statuses", check: (v) => v },
  statusCategory: { key: "statusCategories", check: (v) => category(v) },
  type: { key: "types", check: (v) => v },
  priority: { key: "priorities", check: (v) => v },
  assignee: { key: "assignees", check: (v) => v },
  label: { key: "labels", check: (v) => v },
};
const RANGES = ["updatedFrom", "updatedTo", "createdFrom", "createdTo"] as const;
/** Parameters read on their own below, or by the paging layer. */
const OTHERS = new Set(["limit", "cursor", "sort", "q"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROJECT = /^[A-Za-z][A-Za-z0-9_]{0,49}$/;
const FIELD_ID = /^customfield_[0-9]{1,12}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const MAX_VALUES = 100;
const MAX_VALUE_CHARS = 255;
const MAX_CF_FIELDS = 10;
const MAX_Q_CHARS = 500;

const category = (v: string) => {
  const lower = v.toLowerCase();
  return (STATUS_CATEGORIES as readonly string[]).includes(lower) ? lower : null;
};

/** Bounds of a `…From` (inclusive) or `…To` (inclusive: a whole day for a bare date) value. */
function parseBound(value: string, end: boolean): Date | null {
  if (DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    // Rejects dates JS would roll over (2024-02-30 → March 1st).
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== value) {
      return null;
    }
    return end ? new Date(day.getTime() + 86_400_000) : day;
  }
  if (!DATE_TIME.test(value)) {
    return null;
  }
  const at = new Date(value.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  if (Number.isNaN(at.getTime())) {
    return null;
  }
  // Stored times have millisecond precision: "<= to" is "< to + 1 ms".
  return end ? new Date(at.getTime() + 1) : at;
}

function parseSort(raw: string | undefined, hasText: boolean, errors: FieldError[]): IssueSort {
  if (raw === undefined || raw === "") {
    return { field: hasText ? "relevance" : "updated", descending: true };
  }
  const descending = raw.startsWith("-");
  const field = descending ? raw.slice(1) : raw;
  if (!(SORT_FIELDS as readonly string[]).includes(field)) {
    errors.push({ path: "sort", message: `one of ${SORT_FIELDS.join(", ")}, maybe with a -` });
    return { field: "updated", descending: true };
  }
  return { field: field as SortField, descending };
}

const split = (values: string[]) =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
const tooLong = (v: string) => v.length > MAX_VALUE_CHARS;

/** Applies one parameter to `filters`; returns what is wrong with it, if anything. */
function applyParam(filters: IssueFilters, name: string, raw: string[]): string | undefined {
  const list = LISTS[name];
  if (list) {
    const values = split(raw);
    const bad = values.find((v) => tooLong(v) || list.check(v) === null);
    if (bad !== undefined) {
      return `invalid value "${bad.slice(0, 50)}"`;
    }
    filters[list.key] = [...new Set(values.map((v) => list.check(v) ?? v))].sort();
    return values.length > MAX_VALUES ? `at most ${MAX_VALUES} values` : undefined;
  }
  if (name.startsWith("cf.")) {
    const values = [...new Set(raw.filter((v) => v !== ""))].sort();
    if (!FIELD_ID.test(name.slice(3))) {
      return "custom field parameters look like cf.customfield_10010";
    }
    filters.customFields.push({ fieldId: name.slice(3), values });
    const ok = values.length > 0 && values.length <= MAX_VALUES && !values.some(tooLong);
    return ok ? undefined : `give 1 to ${MAX_VALUES} values of up to ${MAX_VALUE_CHARS} characters`;
  }
  if ((RANGES as readonly string[]).includes(name)) {
    const value = raw.at(-1) ?? "";
    const bound = value === "" ? undefined : parseBound(value, name.endsWith("To"));
    if (bound === null) {
      return "use an ISO-8601 date (2025-01-31) or a date-time with a zone";
    }
    const range = name.startsWith("updated") ? filters.updated : filters.created;
    range[name.endsWith("To") ? "before" : "from"] = bound;
    return undefined;
  }
  return OTHERS.has(name) ? undefined : "unknown parameter";
}

/**
 * Parses `GET /v1/issues` parameters (each name with all its values, as `c.req.queries()` gives
 * them). Every problem is reported at once, as a 400 naming each parameter.
 *
 * @example
 * parseIssueQuery({ status: ["Done,In Review"], "cf.customfield_10010": ["Atlas"], sort: ["-key"] })
 */
export function parseIssueQuery(params: Record<string, string[]>): IssueQuery {
  const errors: FieldError[] = [];
  const filters: IssueFilters = {
    ...{ instanceIds: [], projects: [], statuses: [], statusCategories: [], types: [] },
    ...{ priorities: [], assignees: [], labels: [], updated: {}, created: {}, customFields: [] },
  };
  for (const [name, raw] of Object.entries(params)) {
    const message = applyParam(filters, name, raw);
    if (message) {
      errors.push({ path: name, message });
    }
  }
  if (filters.customFields.length > MAX_CF_FIELDS) {
    errors.push({ path: "cf", message: `at most ${MAX_CF_FIELDS} custom fields` });
  }
  filters.customFields.sort((a, b) => (a.fieldId < b.fieldId ? -1 : 1));
  for (const field of ["updated", "created"] as const) {
    const { from, before } = filters[field];
    if (from && before && from.getTime() >= before.getTime()) {
      errors.push({ path: `${field}To`, message: `must not be before ${field}From` });
    }
  }
  const q = params.q?.at(-1)?.trim();
  if (q && q.length > MAX_Q_CHARS) {
    errors.push({ path: "q", message: `at most ${MAX_Q_CHARS} characters` });
  } else if (q) {
    filters.q = q;
  }
  const sort = parseSort(params.sort?.at(-1), filters.q !== undefined, errors);
  if (errors.length > 0) {
    throw invalid("The query parameters are invalid.", errors);
  }
  return { filters, sort };
}

/** A stable text for a query: cursors are bound to it, so a cursor only continues its own list. */
export const issueQueryFingerprint = (query: IssueQuery): string => JSON.stringify(query);
