import { describe, expect, it } from "vitest";
import { hashEmail, sha256Email } from "../../src/domain/pii";
import { emailHashKey } from "../../src/infrastructure/crypto/email-hash-key";
import { collect, createJiraClient } from "../../src/infrastructure/jira";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { connectSite, runSync, type SyncedSite } from "../helpers/sync";

async function storedHashes(synced: SyncedSite): Promise<Map<string, string | null>> {
  const rows = await adminQuery<{ account_id: string; email_hash: string | null }>(
    "select account_id, email_hash from users where instance_id = $1",
    [synced.instanceId],
  );
  return new Map(rows.map((r) => [r.account_id, r.email_hash]));
}

describe("emailHash is keyed per tenant", () => {
  it("a list of candidate addresses does not reverse it, and two tenants' hashes differ", async () => {
    const [a, b] = await Promise.all([
      connectSite({ seed: 141, issues: 2 }),
      connectSite({ seed: 141, issues: 2 }),
    ]);
    await Promise.all([runSync(a, "backfill"), runSync(b, "backfill")]);
    const client = createJiraClient({
      baseUrl: a.site.url,
      auth: { type: "basic", email: a.site.email, apiToken: a.site.apiToken },
    });
    const users = (await collect(client.users())).filter((u) => u.emailAddress);
    expect(users.length).toBeGreaterThan(2);
    const [hashesA, hashesB] = await Promise.all([storedHashes(a), storedHashes(b)]);
    const keyA = await emailHashKey(testEnv.ENCRYPTION_KEY, a.tenant.id);
    for (const user of users) {
      const email = user.emailAddress ?? "";
      const stored = hashesA.get(user.accountId);
      // Not the unkeyed SHA-256 a dictionary of addresses would find…
      expect(stored).not.toBe(await sha256Email(email));
      // …but HMAC under tenant A's key, and another value for tenant B.
      expect(stored).toBe(await hashEmail(email, keyA));
      expect(hashesB.get(user.accountId)).toMatch(/^[0-9a-f]{64}$/);
      expect(hashesB.get(user.accountId)).not.toBe(stored);
    }
    // Inside the stored issue JSON too (assignees, reporters, comment authors).
    const [raw] = await adminQuery<{ text: string }>(
      "select string_agg(raw::text || custom_fields::text, ' ') as text from issues where instance_id = $1",
      [a.instanceId],
    );
    for (const user of users) {
      expect(raw?.text ?? "").not.toContain(await sha256Email(user.emailAddress ?? ""));
    }
  });

  it("hashes stored before keying are rewritten by a reconcile", async () => {
    const synced = await connectSite({ seed: 142, issues: 3 });
    await runSync(synced, "backfill");
    const client = createJiraClient({
      baseUrl: synced.site.url,
      auth: { type: "basic", email: synced.site.email, apiToken: synced.site.apiToken },
    });
    const key = await emailHashKey(testEnv.ENCRYPTION_KEY, synced.tenant.id);
    const users = (await collect(client.users())).filter((u) => u.emailAddress);
    // Put the mirror back to the unkeyed SHA-256 hashes it held before.
    for (const user of users) {
      const email = user.emailAddress ?? "";
      const [keyed, legacy] = [await hashEmail(email, key), await sha256Email(email)];
      await adminQuery(
        "update users set email_hash = $2 where instance_id = $1 and email_hash = $3",
        [synced.instanceId, legacy, keyed],
      );
      await adminQuery(
        "update issues set raw = replace(raw::text, $2, $3)::jsonb where instance_id = $1",
        [synced.instanceId, keyed, legacy],
      );
    }
    const poisoned = await storedHashes(synced);
    const legacyHashes = await Promise.all(users.map((u) => sha256Email(u.emailAddress ?? "")));
    expect(users.every((u, i) => poisoned.get(u.accountId) === legacyHashes[i])).toBe(true);
    const [before] = await adminQuery<{ text: string }>(
      "select string_agg(raw::text, ' ') as text from issues where instance_id = $1",
      [synced.instanceId],
    );
    expect(legacyHashes.some((h) => (before?.text ?? "").includes(h))).toBe(true);

    await runSync(synced, "reconcile");
    const hashes = await storedHashes(synced);
    const [raw] = await adminQuery<{ text: string }>(
      "select string_agg(raw::text, ' ') as text from issues where instance_id = $1",
      [synced.instanceId],
    );
    for (const user of users) {
      const email = user.emailAddress ?? "";
      expect(hashes.get(user.accountId)).toBe(await hashEmail(email, key));
      expect(raw?.text ?? "").not.toContain(await sha256Email(email));
    }
  });
});
