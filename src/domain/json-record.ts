/**
 * Small readers for Jira's loosely typed JSON, shared by the *-record mappers. Pure: no I/O.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `value` as an object, or an empty one (so chained reads of absent parts stay simple). */
export function obj(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** A string, or null for anything else (Jira uses null, absent and "" interchangeably). */
export function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** Strings of an array, skipping non-strings; `pick` reads one out of each object item. */
export function strings(value: unknown, pick?: (item: JsonObject) => unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    const s = str(pick ? pick(obj(item)) : item);
    if (s !== null) {
      out.push(s);
    }
  }
  return out;
}

const OFFSET_WITHOUT_COLON = /([+-]\d{2})(\d{2})$/;

/**
 * Jira's `2025-01-15T10:23:45.123+0000` (offset without a colon, which ECMAScript does not
 * promise to parse) or any ISO-8601 string → Date; null when absent or unparseable.
 */
export function jiraDate(value: unknown): Date | null {
  if (typeof value !== "string" || value === "") {
    return null;
  }
  const iso = /T/.test(value) ? value.replace(OFFSET_WITHOUT_COLON, "$1:$2") : value;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Postgres rejects NUL in text and jsonb, and lone UTF-16 surrogates either fail (jsonb) or come
 * back as U+FFFD (text) — which would make a stored row differ from its source forever.
 */
export function cleanString(value: string): string {
  let out = value.includes("\u0000") ? value.replaceAll("\u0000", "") : value;
  if (SURROGATE.test(out)) {
    out = out.replace(LONE_SURROGATE, "\uFFFD");
  }
  return out;
}

/**
 * Deep copy of JSON safe to store: strings cleaned (see cleanString), `undefined` dropped, and
 * any `emailAddress` key removed — a second line of defence behind `scrubEmails`, so a raw email
 * can never reach the database even if a caller forgot to scrub.
 */
export function cleanJson(value: unknown): unknown {
  if (typeof value === "string") {
    return cleanString(value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => (item === undefined ? null : cleanJson(item)));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined && key !== "emailAddress") {
        out[cleanString(key)] = cleanJson(item);
      }
    }
    return out;
  }
  if (typeof value === "number" && !Number.isFinite(value)) {
    return null;
  }
  return value;
}
