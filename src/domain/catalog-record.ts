/**
 * Site catalogue → rows: projects (`/project/search` values), users (`/users/search`, scrubbed
 * first so `emailHash` is present) and fields (`/field`). Pure; items without an id map to null.
 */
import { cleanJson, type JsonObject, obj, str } from "./json-record";

export interface ProjectRow {
  jiraId: string;
  key: string;
  name: string;
  projectType: string | null;
  /** Present only when the project was fetched with `expand=lead`. */
  leadAccountId: string | null;
  raw: JsonObject;
}

export interface UserRow {
  accountId: string;
  displayName: string;
  active: boolean;
  accountType: string | null;
  emailHash: string | null;
  timeZone: string | null;
  /** The user JSON without `emailAddress`. */
  raw: JsonObject;
}

export interface FieldRow {
  fieldId: string;
  name: string;
  custom: boolean;
  schemaType: string | null;
  schemaCustom: string | null;
  schemaItems: string | null;
  raw: JsonObject;
}

export function projectRecord(input: unknown): ProjectRow | null {
  const raw = obj(cleanJson(input));
  const jiraId = str(raw.id);
  const key = str(raw.key);
  if (jiraId === null || key === null) {
    return null;
  }
  return {
    jiraId,
    key,
    name: str(raw.name) ?? key,
    projectType: str(raw.projectTypeKey),
    leadAccountId: str(obj(raw.lead).accountId),
    raw,
  };
}

export function userRecord(input: unknown): UserRow | null {
  const raw = obj(cleanJson(input));
  const accountId = str(raw.accountId);
  if (accountId === null) {
    return null;
  }
  return {
    accountId,
    // Users who hide their name (and deleted accounts) come without one.
    displayName: str(raw.displayName) ?? "",
    active: raw.active !== false,
    accountType: str(raw.accountType),
    emailHash: str(raw.emailHash),
    timeZone: str(raw.timeZone),
    raw,
  };
}

export function fieldRecord(input: unknown): FieldRow | null {
  const raw = obj(cleanJson(input));
  const fieldId = str(raw.id);
  if (fieldId === null) {
    return null;
  }
  const schema = obj(raw.schema);
  return {
    fieldId,
    name: str(raw.name) ?? fieldId,
    custom: raw.custom === true,
    schemaType: str(schema.type),
    schemaCustom: str(schema.custom),
    schemaItems: str(schema.items),
    raw,
  };
}

/** Maps a list, dropping items that could not be mapped. */
export function recordsOf<T>(list: Iterable<unknown>, map: (item: unknown) => T | null): T[] {
  const out: T[] = [];
  for (const item of list) {
    const row = map(item);
    if (row !== null) {
      out.push(row);
    }
  }
  return out;
}

export interface StatusRecord {
  jiraId: string;
  name: string;
  /** Jira's status category key: new | indeterminate | done. */
  category: string | null;
}

export function statusRecord(input: unknown): StatusRecord | null {
  const raw = obj(cleanJson(input));
  const jiraId = str(raw.id);
  if (jiraId === null) {
    return null;
  }
  return { jiraId, name: str(raw.name) ?? jiraId, category: str(obj(raw.statusCategory).key) };
}
