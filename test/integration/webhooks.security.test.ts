import { describe, expect, it } from "vitest";
import { adminQuery } from "../helpers/admin-db";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { createSimSite } from "../helpers/jira-site";
import { connectSite, runSync, type SyncedSite, simSend, syncStatus } from "../helpers/sync";
import { createTenantWithKey } from "../helpers/tenancy";
import { deliver, sign } from "../helpers/webhooks";

const pollFor = <T>(probe: () => Promise<T>) =>
  expect.poll(probe, { timeout: 15_000, interval: 100 });

async function issueRow(synced: SyncedSite, key: string) {
  const [row] = await adminQuery<{
    jira_id: string;
    deleted_at: Date | null;
    jira_updated: string;
  }>("select jira_id, deleted_at, jira_updated from issues where instance_id = $1 and key = $2", [
    synced.instanceId,
    key,
  ]);
  if (!row) {
    throw new Error(`no stored issue ${key}`);
  }
  return row;
}

async function firstKeys(synced: SyncedSite, n: number) {
  const rows = await adminQuery<{ key: string }>(
    "select key from issues where instance_id = $1 and deleted_at is null order by key limit $2",
    [synced.instanceId, n],
  );
  return rows.map((r) => r.key);
}

async function auditActions(synced: SyncedSite) {
  return adminQuery<{ action: string; actor: string; target_id: string | null }>(
    "select action, actor, target_id from audit_log where tenant_id = $1 and actor like 'jira:%' order by created_at",
    [synced.tenant.id],
  );
}

const eventBody = (event: Record<string, unknown>) =>
  JSON.stringify({ timestamp: Date.now(), ...event });

describe("webhooks: forged and replayed deliveries", () => {
  it("a signed delete of an issue Jira still has, with a far-future timestamp, changes nothing", async () => {
    const synced = await connectSite({ seed: 111, issues: 4 });
    await runSync(synced, "backfill");
    const [key = ""] = await firstKeys(synced, 1);
    const before = await issueRow(synced, key);
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: "jira:issue_deleted",
      issue: { id: before.jira_id, key, fields: { updated: "9999-12-31T00:00:00.000+0000" } },
    });
    expect((await deliver(synced, { identifier: "forged-delete", body })).status).toBe(202);
    await pollFor(async () => (await syncStatus(synced)).counters.webhooksApplied).toBe(1);
    const after = await issueRow(synced, key);
    expect(after.deleted_at).toBeNull();
    expect(new Date(after.jira_updated).getTime()).toBeLessThanOrEqual(Date.now());
    const read = await call("GET", `/v1/issues/${key}?instanceId=${synced.instanceId}`, {
      token: synced.tenant.key,
    });
    expect(read.status).toBe(200);
  });

  it("a delete Jira confirms (404) is applied", async () => {
    const synced = await connectSite({ seed: 112, issues: 4 });
    await runSync(synced, "backfill");
    const [key = ""] = await firstKeys(synced, 1);
    const { jira_id } = await issueRow(synced, key);
    await simSend(synced, "DELETE", `/issues/${key}`, {});
    const body = eventBody({ webhookEvent: "jira:issue_deleted", issue: { id: jira_id, key } });
    expect((await deliver(synced, { identifier: "real-delete", body })).status).toBe(202);
    await pollFor(async () => (await issueRow(synced, key)).deleted_at).not.toBeNull();
  });

  it("refuses deliveries whose signed timestamp is older than 24 hours", async () => {
    const synced = await connectSite({ seed: 113, issues: 2 });
    const body = JSON.stringify({
      timestamp: Date.now() - 25 * 60 * 60 * 1000,
      webhookEvent: "jira:issue_updated",
      issue: { id: "10000", key: "X-1" },
    });
    const res = await deliver(synced, { identifier: "old", body });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ code: "webhook_expired" });
    const noTime = await deliver(synced, {
      identifier: "no-time",
      body: JSON.stringify({ webhookEvent: "jira:issue_updated", issue: { id: "10000" } }),
    });
    expect(noTime.status).toBe(400);
    expect((await syncStatus(synced)).counters.webhooksReceived).toBe(0);
  });

  it("a signed event replayed under a new identifier is applied and audited once", async () => {
    const synced = await connectSite({ seed: 114, issues: 3 });
    await runSync(synced, "backfill");
    const [key = ""] = await firstKeys(synced, 1);
    const { jira_id } = await issueRow(synced, key);
    const body = eventBody({
      webhookEvent: "jira:issue_updated",
      user: { accountId: "557058:abc" },
      issue: { id: jira_id, key },
    });
    expect((await deliver(synced, { identifier: "one", body })).status).toBe(202);
    expect((await deliver(synced, { identifier: "two", body })).status).toBe(202);
    await pollFor(async () => (await syncStatus(synced)).counters.webhooksReceived).toBe(2);
    const status = await syncStatus(synced);
    expect(status.counters.webhooksApplied).toBe(1);
    expect(status.counters.webhooksDuplicate).toBe(1);
    expect(await auditActions(synced)).toEqual([
      { action: "jira:issue_updated", actor: "jira:557058:abc", target_id: key },
    ]);
  });

  it("only known event names reach the audit log, and malformed actors are not copied", async () => {
    const synced = await connectSite({ seed: 115, issues: 3 });
    await runSync(synced, "backfill");
    const [key = ""] = await firstKeys(synced, 1);
    const { jira_id } = await issueRow(synced, key);
    const forged = eventBody({
      webhookEvent: "admin:tenant_deleted",
      user: { accountId: "admin" },
      issue: { id: jira_id, key },
    });
    expect((await deliver(synced, { identifier: "unknown-event", body: forged })).status).toBe(202);
    const oddActor = eventBody({
      webhookEvent: "jira:issue_updated",
      user: { accountId: "<script>alert(1)</script>" },
      issue: { id: jira_id, key: "not a key<>" },
    });
    expect((await deliver(synced, { identifier: "odd-actor", body: oddActor })).status).toBe(202);
    await pollFor(async () => (await auditActions(synced)).length).toBe(1);
    expect(await auditActions(synced)).toEqual([
      { action: "jira:issue_updated", actor: "jira:unknown", target_id: null },
    ]);
  });

  it("verifies the HMAC over the raw bytes (a byte-order mark is signed too)", async () => {
    const synced = await connectSite({ seed: 116, issues: 2 });
    const text = eventBody({ webhookEvent: "project_updated" });
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(synced.webhookSecret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
    const signature = `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    const res = await call("POST", `/webhooks/jira/${synced.instanceId}`, {
      rawBody: bytes,
      headers: { "content-type": "application/json", "x-hub-signature": signature },
    });
    expect(res.status).toBe(202);
    // The signature of the decoded text (without the BOM) is not the signature of the body.
    const textSigned = await call("POST", `/webhooks/jira/${synced.instanceId}`, {
      rawBody: bytes,
      headers: { "x-hub-signature": await sign(synced.webhookSecret, text) },
    });
    expect(textSigned.status).toBe(401);
  });
});

describe("webhooks: every instance has a secret", () => {
  it("generates one when none is given, shown once, and refuses unsigned deliveries", async () => {
    const site = await createSimSite({ seed: 117, issues: 1 });
    const tenant = await createTenantWithKey();
    const res = await call("POST", "/v1/instances?verify=false", {
      token: tenant.key,
      body: {
        name: "No secret given",
        baseUrl: site.url,
        auth: { type: "basic", email: site.email, apiToken: site.apiToken },
      },
    });
    expect(res.status).toBe(201);
    const created = await json<{ id: string; webhookSecret: string }>(res);
    expect(created.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
    const again = await json(
      await call("GET", `/v1/instances/${created.id}`, { token: tenant.key }),
    );
    expect(JSON.stringify(again)).not.toContain(created.webhookSecret);
    const synced: SyncedSite = {
      site,
      tenant,
      instanceId: created.id,
      webhookSecret: created.webhookSecret,
    };
    const body = eventBody({ webhookEvent: "project_updated" });
    const unsigned = await call("POST", `/webhooks/jira/${created.id}`, { rawBody: body });
    expect(unsigned.status).toBe(401);
    expect((await deliver(synced, { identifier: "signed", body })).status).toBe(202);
  });

  it("an instance stored without a secret accepts nothing until one is rotated in; rotation is tenant-scoped", async () => {
    const tenant = await createTenantWithKey();
    const legacy = await insertInstance(tenant.id);
    const body = eventBody({ webhookEvent: "project_updated" });
    const unsigned = await call("POST", `/webhooks/jira/${legacy.id}`, { rawBody: body });
    expect(unsigned.status).toBe(401);
    const anySigned = await call("POST", `/webhooks/jira/${legacy.id}`, {
      rawBody: body,
      headers: { "x-hub-signature": await sign("a-guessed-secret", body) },
    });
    expect(anySigned.status).toBe(401);

    const other = await createTenantWithKey();
    const foreign = await call("POST", `/v1/instances/${legacy.id}/webhook-secret`, {
      token: other.key,
    });
    expect(foreign.status).toBe(404);
    const readOnly = await createTenantWithKey(["read"]);
    const mine = await insertInstance(readOnly.id);
    expect(
      (await call("POST", `/v1/instances/${mine.id}/webhook-secret`, { token: readOnly.key }))
        .status,
    ).toBe(403);

    const rotated = await call("POST", `/v1/instances/${legacy.id}/webhook-secret`, {
      token: tenant.key,
    });
    expect(rotated.status).toBe(200);
    const { webhookSecret } = await json<{ webhookSecret: string }>(rotated);
    const ok = await call("POST", `/webhooks/jira/${legacy.id}`, {
      rawBody: body,
      headers: { "x-hub-signature": await sign(webhookSecret, body) },
    });
    expect(ok.status).toBe(202);
    const second = await json<{ webhookSecret: string }>(
      await call("POST", `/v1/instances/${legacy.id}/webhook-secret`, { token: tenant.key }),
    );
    expect(second.webhookSecret).not.toBe(webhookSecret);
    const stale = await call("POST", `/webhooks/jira/${legacy.id}`, {
      rawBody: body,
      headers: { "x-hub-signature": await sign(webhookSecret, body) },
    });
    expect(stale.status).toBe(401);
    const [row] = await adminQuery<{ secrets_ciphertext: string }>(
      "select secrets_ciphertext from jira_instances where id = $1",
      [legacy.id],
    );
    expect(row?.secrets_ciphertext.startsWith("ad1.")).toBe(true);
  });
});
