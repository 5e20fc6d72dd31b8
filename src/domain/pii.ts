/**
 * Personal data in Jira JSON. Raw email addresses are never stored: a user object keeps its
 * `accountId` and `displayName`, and its `emailAddress` is replaced by `emailHash`, the hex SHA-256
 * of the trimmed, lower-cased address — the same person hashes the same everywhere, so users can
 * still be matched across tables and against an address someone types in.
 */

const encoder = new TextEncoder();

/** Hex SHA-256 of the trimmed, lower-cased address (WebCrypto). */
export async function hashEmail(email: string): Promise<string> {
  const bytes = encoder.encode(email.trim().toLowerCase());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const byte of digest) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const usable = (email: unknown): email is string =>
  typeof email === "string" && email.trim() !== "";

function collectEmails(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      collectEmails(item, into);
    }
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "emailAddress" && usable(item)) {
        into.add(item);
      } else {
        collectEmails(item, into);
      }
    }
  }
}

function copyScrubbed(value: unknown, hashes: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => copyScrubbed(item, hashes));
  }
  if (!isPlainObject(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== "emailAddress" && key !== "emailHash") {
      out[key] = copyScrubbed(item, hashes);
    }
  }
  if ("emailAddress" in value) {
    const email = value.emailAddress;
    out.emailHash = usable(email) ? (hashes.get(email) ?? null) : null;
  } else if ("emailHash" in value) {
    out.emailHash = value.emailHash;
  }
  return out;
}

/**
 * A deep copy of `value` in which every object that has an `emailAddress` (users as assignee,
 * reporter, creator, comment and changelog authors, user-picker custom fields, anywhere) loses it
 * and gains `emailHash` (null when the address was empty or hidden). The input is not modified.
 * Each distinct address is hashed once, so a page of issues costs a few digests, not thousands.
 */
export async function scrubEmails<T>(value: T): Promise<T> {
  const emails = new Set<string>();
  collectEmails(value, emails);
  const entries = await Promise.all(
    [...emails].map(async (email) => [email, await hashEmail(email)] as const),
  );
  return copyScrubbed(value, new Map(entries)) as T;
}
