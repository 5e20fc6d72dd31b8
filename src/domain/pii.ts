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

// ---------------------------------------------------------------------------------------------
// Redaction of text that leaves for an external AI provider.

/** A person the text may name: their account id and display name become one placeholder. */
export interface KnownPerson {
  accountId: string;
  displayName: string | null;
}

/**
 * Secrets and contact data, most specific first (a URL's credentials before the email pattern
 * sees `user:pass@host`). Replaced for good: nothing maps them back.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  // Credentials in URLs: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, "$1[CREDENTIALS]@"],
  // Atlassian API and container tokens
  [/\bAT[A-Z]{2}T[A-Za-z0-9_=+/-]{8,}/g, "[ATLASSIAN_TOKEN]"],
  // This product's own API keys
  [/\bds_[A-Za-z0-9_-]{8,}/g, "[API_KEY]"],
  // Bearer and Basic credentials in pasted headers
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [TOKEN]"],
  // AWS access key ids and secret access keys
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b/g, "[AWS_KEY]"],
  [/\b(aws_secret_access_key|secret_?key)\s*[:=]\s*["']?[A-Za-z0-9/+=]{20,}/gi, "$1=[SECRET]"],
  // Other vendors' well-known key shapes: OpenAI/Anthropic, GitHub, Slack, Google, JWTs
  [/\bsk-[A-Za-z0-9_-]{16,}/g, "[API_KEY]"],
  [/\bgh[pousr]_[A-Za-z0-9]{20,}/g, "[API_KEY]"],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, "[API_KEY]"],
  [/\bAIza[A-Za-z0-9_-]{30,}/g, "[API_KEY]"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, "[TOKEN]"],
  // key=value secrets in configs and logs
  [/\b(password|passwd|pwd|secret|token|api[_-]?key)\s*[:=]\s*["']?[^\s"',;]{6,}/gi, "$1=[SECRET]"],
  // Email addresses
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, "[EMAIL]"],
  // Phone numbers: international (+49 30 1234567, 0044 …) and North American ((555) 123-4567)
  [/(?:\+|\b00)\d{1,3}[\s./-]?(?:\(\d{1,5}\)[\s./-]?)?\d[\d\s./-]{5,}\d\b/g, "[PHONE]"],
  [/(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b/g, "[PHONE]"],
];

/** Jira Cloud account ids: `557058:uuid`, `712020:uuid`, or 24 hex characters. */
const ACCOUNT_ID =
  /\b(?:\d{5,6}:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{24})\b/gi;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Makes text safe to send to an external model and maps its answer back. Secrets and contact
 * data are removed for good; each person (account id or display name, with or without `@`)
 * becomes a stable placeholder such as `PERSON_2` that `restore` turns back into a name (or
 * `accountIdOf` into the account id).
 *
 * @example
 * const r = new Redactor([{ accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ana Silva" }]);
 * r.redact("Ana Silva: call +1 555 010 9999") // "PERSON_1: call [PHONE]"
 * r.restore("PERSON_1 should reply")           // "Ana Silva should reply"
 */
export class Redactor {
  readonly #byAccount = new Map<string, string>();
  readonly #people = new Map<string, KnownPerson>();
  readonly #names: { pattern: RegExp; placeholder: string }[] = [];

  constructor(people: readonly KnownPerson[]) {
    for (const person of people) {
      this.#placeholderFor(person);
    }
  }

  #placeholderFor(person: KnownPerson): string {
    const known = this.#byAccount.get(person.accountId);
    if (known) {
      return known;
    }
    const placeholder = `PERSON_${this.#byAccount.size + 1}`;
    this.#byAccount.set(person.accountId, placeholder);
    this.#people.set(placeholder, person);
    const name = person.displayName?.trim();
    if (name && name.length >= 3) {
      this.#names.push({
        pattern: new RegExp(`@?${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, "giu"),
        placeholder,
      });
      // Longest names first, so "Ana Silva (Admin)" wins over "Ana Silva".
      this.#names.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
    }
    return placeholder;
  }

  redact(text: string): string {
    let out = text;
    for (const [pattern, replacement] of SECRET_PATTERNS) {
      out = out.replace(pattern, replacement);
    }
    out = out.replace(ACCOUNT_ID, (id) =>
      this.#placeholderFor({ accountId: id, displayName: null }),
    );
    for (const { pattern, placeholder } of this.#names) {
      out = out.replace(pattern, placeholder);
    }
    return out;
  }

  /** Placeholders back to display names (the account id when the name is unknown). */
  restore(text: string, quote: (name: string) => string = (name) => name): string {
    return text.replace(/\bPERSON_(\d+)\b/g, (placeholder) => {
      const person = this.#people.get(placeholder);
      return person ? quote(person.displayName ?? person.accountId) : placeholder;
    });
  }

  /** The account id behind a placeholder the model answered with, if it is one of ours. */
  accountIdOf(placeholder: string): string | undefined {
    return this.#people.get(placeholder.trim())?.accountId;
  }

  /** The placeholder a known account id travels as. */
  placeholderOf(accountId: string): string | undefined {
    return this.#byAccount.get(accountId);
  }
}
