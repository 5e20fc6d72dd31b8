/**
 * Personal data in Jira JSON. Raw email addresses are never stored: a user object keeps its
 * `accountId` and `displayName`, and its `emailAddress` is replaced by `emailHash`, a keyed hash
 * of the trimmed, lower-cased address under the tenant's own key — the same person hashes the
 * same everywhere within a tenant (users still match across tables, and against an address
 * hashed with the same key), but a list of candidate addresses recovers nothing without the key,
 * and two tenants' hashes of one address differ.
 *
 * emailHash = hex HMAC-SHA256(tenant key, hex SHA-256(address)). The inner SHA-256 is what
 * emailHash used to be, so stored hashes can be rewritten without the addresses (see
 * `rekeyEmailHash`).
 */

const encoder = new TextEncoder();

const toHex = (bytes: ArrayBuffer) => {
  let hex = "";
  for (const byte of new Uint8Array(bytes)) {
    hex += byte.toString(16).padStart(2, "0");
  }
  return hex;
};

/** The unkeyed hex SHA-256 of the trimmed, lower-cased address (the pre-HMAC emailHash). */
export async function sha256Email(email: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(email.trim().toLowerCase())));
}

/** A stored unkeyed hash, rewritten under the tenant's key. */
export async function rekeyEmailHash(key: CryptoKey, sha256Hex: string): Promise<string> {
  return toHex(await crypto.subtle.sign("HMAC", key, encoder.encode(sha256Hex)));
}

/** emailHash of an address under the tenant's HMAC-SHA256 key. */
export async function hashEmail(email: string, key: CryptoKey): Promise<string> {
  return rekeyEmailHash(key, await sha256Email(email));
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
export async function scrubEmails<T>(value: T, key: CryptoKey): Promise<T> {
  const emails = new Set<string>();
  collectEmails(value, emails);
  const entries = await Promise.all(
    [...emails].map(async (email) => [email, await hashEmail(email, key)] as const),
  );
  return copyScrubbed(value, new Map(entries)) as T;
}
