import { beforeAll, describe, expect, it } from "vitest";
import { hashEmail, rekeyEmailHash, scrubEmails, sha256Email } from "../../src/domain/pii";
import { emailHashKey } from "../../src/infrastructure/crypto/email-hash-key";

// sha256("test@example.com"): what emailHash was before it was keyed.
const TEST_SHA256 = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
const SECRET = "a-server-secret-of-at-least-32-characters";
let KEY: CryptoKey;
let TEST_HASH = "";

beforeAll(async () => {
  KEY = await emailHashKey(SECRET, "tenant-a");
  TEST_HASH = await rekeyEmailHash(KEY, TEST_SHA256);
});

const user = (accountId: string, emailAddress?: string | null) => ({
  self: `https://x.atlassian.net/rest/api/3/user?accountId=${accountId}`,
  accountId,
  displayName: `User ${accountId}`,
  ...(emailAddress === undefined ? {} : { emailAddress }),
  active: true,
});

describe("hashEmail", () => {
  it("is HMAC(tenant key, SHA-256 of the trimmed, lower-cased address)", async () => {
    expect(await sha256Email("  Test@EXAMPLE.com \n")).toBe(TEST_SHA256);
    expect(await hashEmail("test@example.com", KEY)).toBe(TEST_HASH);
    expect(await hashEmail("  Test@EXAMPLE.com \n", KEY)).toBe(TEST_HASH);
    expect(await hashEmail("other@example.com", KEY)).not.toBe(TEST_HASH);
  });

  it("cannot be recovered from a list of candidate addresses without the key", async () => {
    expect(TEST_HASH).toMatch(/^[0-9a-f]{64}$/);
    expect(TEST_HASH).not.toBe(TEST_SHA256);
    const otherTenant = await emailHashKey(SECRET, "tenant-b");
    expect(await hashEmail("test@example.com", otherTenant)).not.toBe(TEST_HASH);
    const otherSecret = await emailHashKey(`${SECRET}-rotated`, "tenant-a");
    expect(await hashEmail("test@example.com", otherSecret)).not.toBe(TEST_HASH);
  });

  it("hashes non-ASCII addresses as UTF-8", async () => {
    const hash = await hashEmail("Jürgen@Bücher.example", KEY);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(await hashEmail("jürgen@bücher.example", KEY));
  });
});

describe("scrubEmails", () => {
  it("replaces emailAddress by emailHash in user objects anywhere in an issue", async () => {
    const issue = {
      id: "10001",
      key: "OPS-1",
      fields: {
        assignee: user("a", "Test@Example.com"),
        reporter: user("b", "b@example.com"),
        creator: user("b", "b@example.com"),
        customfield_10015: user("c", "test@example.com"),
        customfield_10021: [user("a", "test@example.com"), user("d", null)],
        comment: {
          comments: [{ id: "1", author: user("b", "b@example.com"), updateAuthor: user("e") }],
        },
        labels: ["emailAddress"],
      },
      changelog: { histories: [{ id: "5", author: user("a", "test@example.com"), items: [] }] },
    };
    const scrubbed = await scrubEmails(issue, KEY);
    const text = JSON.stringify(scrubbed);
    expect(text).not.toContain('"emailAddress":');
    expect(text).not.toMatch(/@example\.com/i);
    expect(scrubbed.fields.assignee).toEqual({
      self: issue.fields.assignee.self,
      accountId: "a",
      displayName: "User a",
      active: true,
      emailHash: TEST_HASH,
    });
    expect(scrubbed.fields.customfield_10015).toMatchObject({ emailHash: TEST_HASH });
    expect(scrubbed.fields.customfield_10021[0]).toMatchObject({ emailHash: TEST_HASH });
    // A hidden (null) address: the key goes, the hash is null.
    expect(scrubbed.fields.customfield_10021[1]).toMatchObject({ accountId: "d", emailHash: null });
    expect(scrubbed.fields.comment.comments[0]?.author).toMatchObject({
      emailHash: await hashEmail("b@example.com", KEY),
    });
    // Users without an address are left as they were.
    expect(scrubbed.fields.comment.comments[0]?.updateAuthor).toEqual(user("e"));
    expect(scrubbed.changelog.histories[0]?.author).toMatchObject({ emailHash: TEST_HASH });
    // A string value that happens to say "emailAddress" is data, not a key.
    expect(scrubbed.fields.labels).toEqual(["emailAddress"]);
  });

  it("does not modify its input", async () => {
    const input = { assignee: user("a", "test@example.com"), list: [user("b", "b@example.com")] };
    const before = structuredClone(input);
    const out = await scrubEmails(input, KEY);
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect(out.list).not.toBe(input.list);
  });

  it("overwrites a stale emailHash and keeps an existing one when there is no address", async () => {
    const out = await scrubEmails(
      [
        { accountId: "a", emailAddress: "test@example.com", emailHash: "old" },
        { accountId: "b", emailHash: "kept" },
      ],
      KEY,
    );
    expect(out).toEqual([
      { accountId: "a", emailHash: TEST_HASH },
      { accountId: "b", emailHash: "kept" },
    ]);
  });

  it("passes primitives, null and empty structures through", async () => {
    expect(await scrubEmails(null, KEY)).toBeNull();
    expect(await scrubEmails("a@b.c", KEY)).toBe("a@b.c");
    expect(await scrubEmails(42, KEY)).toBe(42);
    expect(await scrubEmails({}, KEY)).toEqual({});
    expect(await scrubEmails([], KEY)).toEqual([]);
  });
});
