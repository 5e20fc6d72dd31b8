/**
 * The sync store against real Postgres (as the RLS-restricted `app` role) with real simulator
 * data: every issue of a site fetched with the Jira client, completed, scrubbed and mapped, then
 * stored and compared with the simulator's ground truth.
 */
import { describe, expect, it } from "vitest";
import { adfToText } from "../../src/domain/adf";
import { fieldRecord, projectRecord, recordsOf, userRecord } from "../../src/domain/catalog-record";
import { type IssueRecord, issueRecord } from "../../src/domain/issue-record";
import { jiraDate } from "../../src/domain/json-record";
import { hashEmail, scrubEmails } from "../../src/domain/pii";
import { emailHashKey } from "../../src/infrastructure/crypto/email-hash-key";
import type { Tx } from "../../src/infrastructure/db/database";
import { Database } from "../../src/infrastructure/db/database";
import { findPgError } from "../../src/infrastructure/db/errors";
import {
  diffDigests,
  issueRecordDigest,
  issueVersionPages,
  issueVersions,
  markIssuesDeleted,
  type SyncScope,
  storedIssueDigests,
  storedIssueRecords,
  upsertFields,
  upsertIssues,
  upsertProjects,
  upsertUsers,
} from "../../src/infrastructure/db/sync-store";
import { collect, createJiraClient, type JiraIssue } from "../../src/infrastructure/jira";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { insertInstance, insertTenant } from "../helpers/factories";
import { createSimSite, type SimSite, simCall } from "../helpers/jira-site";

type Json = Record<string, unknown>;

interface TruthIssue {
  id: string;
  key: string;
  fields: Json & { comment: { comments: Json[]; total: number }; issuelinks: Json[] };
  changelog: { histories: Json[] };
}

const o = (value: unknown): Json =>
  typeof value === "object" && value !== null ? (value as Json) : {};
const name = (value: unknown) => (o(value).name as string | undefined) ?? null;

const groundTruth = async (site: SimSite) =>
  (await simCall<{ issues: TruthIssue[] }>(`${site.url}/_sim/issues`)).issues;

const clientFor = (site: SimSite) =>
  createJiraClient({
    baseUrl: site.url,
    auth: { type: "basic", email: site.email, apiToken: site.apiToken },
    baseDelayMs: 10,
  });

type Client = ReturnType<typeof clientFor>;

/** The backfill path: search pages with every field and the changelog, then completion. */
async function searchAll(client: Client): Promise<JiraIssue[]> {
  const keys = (await collect(client.projects())).map((p) => p.key);
  const found = await collect(
    client.searchIssues({
      jql: `project IN (${keys.join(", ")}) ORDER BY created ASC`,
      fields: ["*all"],
      expand: "changelog",
      maxResults: 50,
    }),
  );
  return Promise.all(found.map((issue) => client.completeIssue(issue)));
}

// These tests write records directly: any tenant key shows the stored hashes are the keyed ones.
const emailKey = emailHashKey("sync-store-test-secret-0123456789abcdef", "sync-store");

const toRecord = async (issue: JiraIssue) => issueRecord(await scrubEmails(issue, await emailKey));

async function fetchRecords(site: SimSite): Promise<IssueRecord[]> {
  return Promise.all((await searchAll(clientFor(site))).map(toRecord));
}

/** The single-issue path (GET /issue/{key}?expand=changelog), as a webhook re-read does it. */
async function fetchOne(site: SimSite, key: string): Promise<IssueRecord> {
  const client = clientFor(site);
  return toRecord(await client.completeIssue(await client.getIssue(key, { expand: "changelog" })));
}

const database = () => new Database({ url: testEnv.DATABASE_URL, wsProxy: testEnv.DB_WS_PROXY });

async function inTenant<T>(scope: SyncScope, work: (tx: Tx) => Promise<T>): Promise<T> {
  const db = database();
  try {
    return await db.withTenant(scope.tenantId, work);
  } finally {
    await db.close();
  }
}

async function newScope(): Promise<SyncScope> {
  const tenant = await insertTenant("Sync");
  const instance = await insertInstance(tenant.id);
  return { tenantId: tenant.id, instanceId: instance.id };
}

const store = (scope: SyncScope, records: IssueRecord[]) =>
  inTenant(scope, (tx) => upsertIssues(tx, scope, records));

/** A copy of a record at another version, optionally edited. */
function version(record: IssueRecord, shiftMs: number, summary?: string): IssueRecord {
  const updated = new Date(record.issue.updated.getTime() + shiftMs);
  return {
    ...record,
    issue: { ...record.issue, updated, summary: summary ?? record.issue.summary },
  };
}

async function issueRow(scope: SyncScope, jiraId: string) {
  const [row] = await adminQuery<Json>(
    "select * from issues where tenant_id = $1 and instance_id = $2 and jira_id = $3",
    [scope.tenantId, scope.instanceId, jiraId],
  );
  return row;
}

const count = async (table: string, scope: SyncScope) =>
  Number(
    (
      await adminQuery<{ n: string }>(
        `select count(*) as n from ${table} where tenant_id = $1 and instance_id = $2`,
        [scope.tenantId, scope.instanceId],
      )
    )[0]?.n,
  );

function emailsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) {
      emailsIn(item, into);
    }
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "emailAddress" && typeof item === "string") {
        into.add(item);
      } else {
        emailsIn(item, into);
      }
    }
  }
  return into;
}

describe("sync store: a whole site against the ground truth", () => {
  it("stores every field, custom field, comment, history and link as Jira has them", async () => {
    const site = await createSimSite({ seed: 31, issues: 45 });
    const [records, truth, scope] = await Promise.all([
      fetchRecords(site),
      groundTruth(site),
      newScope(),
    ]);
    expect(records).toHaveLength(truth.length);
    const result = await store(scope, records);
    expect(result.written.sort()).toEqual(truth.map((t) => t.id).sort());
    expect(result.skippedStale).toEqual([]);

    const q = (table: string) =>
      adminQuery<Json>(
        `select t.*, i.jira_id as issue_jira_id from ${table} t join issues i on i.id = t.issue_id
         where t.tenant_id = $1 order by t.created, t.jira_id`,
        [scope.tenantId],
      );
    const [issues, comments, histories, links] = await Promise.all([
      adminQuery<Json>("select * from issues where tenant_id = $1", [scope.tenantId]),
      q("comments"),
      q("changelogs"),
      adminQuery<Json>(
        `select l.*, i.jira_id as issue_jira_id from issue_links l join issues i on i.id = l.issue_id
         where l.tenant_id = $1`,
        [scope.tenantId],
      ),
    ]);
    expect(issues).toHaveLength(truth.length);
    let sawLinks = 0;
    let sawSubtask = false;
    for (const t of truth) {
      const f = t.fields;
      const row = issues.find((r) => r.jira_id === t.id);
      expect(row, t.key).toBeDefined();
      expect(row).toMatchObject({
        key: t.key,
        project_key: o(f.project).key,
        project_id: o(f.project).id,
        summary: f.summary,
        description_text: adfToText(f.description),
        status: name(f.status),
        status_category: o(o(f.status).statusCategory).key,
        issue_type: name(f.issuetype),
        is_subtask: o(f.issuetype).subtask === true,
        priority: name(f.priority),
        assignee_account_id: o(f.assignee).accountId ?? null,
        reporter_account_id: o(f.reporter).accountId ?? null,
        labels: f.labels,
        components: (f.components as Json[]).map((c) => c.name),
        fix_versions: (f.fixVersions as Json[]).map((v) => v.name),
        parent_key: o(f.parent).key ?? null,
        resolution: name(f.resolution),
        comments_count: f.comment.total,
        changelog_count: t.changelog.histories.length,
        deleted_at: null,
      });
      expect(row?.description).toEqual(f.description ?? null);
      expect(row?.created).toEqual(jiraDate(f.created));
      expect(row?.updated).toEqual(jiraDate(f.updated));
      expect(row?.jira_updated).toEqual(jiraDate(f.updated));
      expect(row?.resolved).toEqual(jiraDate(f.resolutiondate));
      expect(row?.search_vector).toBeTruthy();
      sawSubtask ||= row?.is_subtask === true && row.parent_key !== null;

      const custom = Object.fromEntries(
        Object.entries(f).filter(([k, v]) => k.startsWith("customfield_") && v !== null),
      );
      expect(row?.custom_fields, `${t.key} custom fields`).toEqual(
        await scrubEmails(custom, await emailKey),
      );

      const storedComments = comments.filter((c) => c.issue_jira_id === t.id);
      expect(storedComments.map((c) => c.jira_id)).toEqual(f.comment.comments.map((c) => c.id));
      expect(storedComments.map((c) => c.body_text)).toEqual(
        f.comment.comments.map((c) => adfToText(c.body)),
      );
      expect(storedComments.map((c) => c.author_account_id)).toEqual(
        f.comment.comments.map((c) => o(c.author).accountId ?? null),
      );
      expect(storedComments.map((c) => c.body)).toEqual(f.comment.comments.map((c) => c.body));

      const storedHistories = histories.filter((h) => h.issue_jira_id === t.id);
      expect(storedHistories.map((h) => h.jira_id)).toEqual(t.changelog.histories.map((h) => h.id));
      expect(storedHistories.map((h) => h.items)).toEqual(
        t.changelog.histories.map((h) => h.items),
      );
      expect(storedHistories.map((h) => h.created)).toEqual(
        t.changelog.histories.map((h) => jiraDate(h.created)),
      );

      const linkSet = (rows: { id: unknown; dir: unknown; key: unknown; type: unknown }[]) =>
        rows.map((r) => `${r.id}|${r.dir}|${r.key}|${r.type}`).sort();
      const expectedLinks = f.issuelinks.map((l) => {
        const dir = l.outwardIssue ? "outward" : "inward";
        return { id: l.id, dir, key: o(l[`${dir}Issue`]).key, type: name(l.type) };
      });
      const storedLinks = links
        .filter((l) => l.issue_jira_id === t.id)
        .map((l) => ({
          id: l.jira_id,
          dir: l.direction,
          key: l.other_issue_key,
          type: l.link_type,
        }));
      expect(linkSet(storedLinks), `${t.key} links`).toEqual(linkSet(expectedLinks));
      sawLinks += storedLinks.length;
    }
    // The seed has what the comparison needs to mean something.
    expect(sawLinks).toBeGreaterThan(0);
    expect(sawSubtask).toBe(true);
    expect(truth.some((t) => t.fields.comment.total > 20)).toBe(true);
    expect(truth.some((t) => t.changelog.histories.length > 40)).toBe(true);

    // Full-text search over comments (weight C) finds the issue with that comment.
    const commented = truth.find((t) => t.fields.comment.comments.length > 0);
    const words = adfToText(commented?.fields.comment.comments.at(-1)?.body).match(/\p{L}{6,}/gu);
    const word = words?.sort((x, y) => y.length - x.length)[0];
    expect(word).toBeDefined();
    const hits = await adminQuery<{ jira_id: string }>(
      "select jira_id from issues where tenant_id = $1 and search_vector @@ plainto_tsquery('english', $2)",
      [scope.tenantId, word],
    );
    expect(hits.map((h) => h.jira_id)).toContain(commented?.id);
  });

  it("stores no raw email anywhere: issues, custom fields, comments, histories, users", async () => {
    const site = await createSimSite({ seed: 32, issues: 25 });
    const client = clientFor(site);
    const [records, truth, scope, jiraUsers, jiraProjects, jiraFields] = await Promise.all([
      fetchRecords(site),
      groundTruth(site),
      newScope(),
      collect(client.users()),
      collect(client.projects()),
      client.fields(),
    ]);
    const emails = emailsIn([truth, jiraUsers]);
    expect(emails.size).toBeGreaterThan(3);
    await store(scope, records);
    const users = recordsOf(await scrubEmails(jiraUsers, await emailKey), userRecord);
    await inTenant(scope, async (tx) => {
      expect(await upsertUsers(tx, scope, users)).toBe(jiraUsers.length);
      expect(await upsertProjects(tx, scope, recordsOf(jiraProjects, projectRecord))).toBe(
        jiraProjects.length,
      );
      expect(await upsertFields(tx, scope, recordsOf(jiraFields, fieldRecord))).toBe(
        jiraFields.length,
      );
    });

    const dump = await adminQuery<{ text: string }>(
      `select string_agg(x, ' ') as text from (
         select raw::text || custom_fields::text || coalesce(description::text, '') as x from issues where tenant_id = $1
         union all select raw::text || coalesce(body::text, '') || body_text from comments where tenant_id = $1
         union all select items::text from changelogs where tenant_id = $1
         union all select raw::text || display_name from users where tenant_id = $1
         union all select raw::text from projects where tenant_id = $1
         union all select raw::text from custom_fields where tenant_id = $1) as all_json`,
      [scope.tenantId],
    );
    const text = dump[0]?.text ?? "";
    expect(text.length).toBeGreaterThan(10_000);
    expect(text).not.toContain("emailAddress");
    for (const email of emails) {
      expect(text.toLowerCase()).not.toContain(email.toLowerCase());
    }
    expect(text).toContain("emailHash");

    const storedUsers = await adminQuery<{ account_id: string; email_hash: string | null }>(
      "select account_id, email_hash from users where tenant_id = $1",
      [scope.tenantId],
    );
    for (const user of jiraUsers) {
      const stored = storedUsers.find((u) => u.account_id === user.accountId);
      expect(stored?.email_hash).toBe(
        user.emailAddress ? await hashEmail(user.emailAddress, await emailKey) : null,
      );
    }
  });
});

describe("sync store: versions, deletes, tenants", () => {
  it("re-upserting is idempotent", async () => {
    const site = await createSimSite({ seed: 33, issues: 20 });
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    await store(scope, records);
    const snapshot = async () =>
      adminQuery<Json>(
        `select 'i' as t, id, jira_id, comments_count as n, search_vector::text as v from issues where tenant_id = $1
         union all select 'c', id, jira_id, 0, body_text from comments where tenant_id = $1
         union all select 'h', id, jira_id, 0, items::text from changelogs where tenant_id = $1
         union all select 'l', id, jira_id, 0, other_issue_key from issue_links where tenant_id = $1
         order by 1, 3, 2`,
        [scope.tenantId],
      );
    const before = await snapshot();
    const again = await store(scope, records);
    // An equal version rewrites (that is how reconciliation repairs), yet nothing changes.
    expect(again.written).toHaveLength(records.length);
    expect(await snapshot()).toEqual(before);
  });

  it("an older version is skipped, a newer one wins, an equal one rewrites", async () => {
    const site = await createSimSite({ seed: 34, issues: 8 });
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    const base = records.find((r) => r.comments.length > 1) ?? records[0]!;
    const id = base.issue.jiraId;
    const newer = version(base, 60_000, "Newer summary");
    await store(scope, [newer]);

    const older = { ...version(base, -60_000, "Older summary"), comments: [] };
    expect(await store(scope, [older])).toEqual({ written: [], skippedStale: [id] });
    expect(await issueRow(scope, id)).toMatchObject({
      summary: "Newer summary",
      comments_count: base.comments.length,
    });
    expect(await count("comments", scope)).toBe(base.comments.length);

    const equal = { ...version(newer, 0, "Silently edited"), comments: base.comments.slice(1) };
    expect(await store(scope, [equal])).toEqual({ written: [id], skippedStale: [] });
    expect(await issueRow(scope, id)).toMatchObject({
      summary: "Silently edited",
      comments_count: base.comments.length - 1,
    });
    expect(await count("comments", scope)).toBe(base.comments.length - 1);

    // Two versions in one batch: the newest wins whatever the order.
    const newest = version(base, 120_000, "Newest");
    expect((await store(scope, [newest, version(base, 90_000, "Between")])).written).toEqual([id]);
    expect(await issueRow(scope, id)).toMatchObject({ summary: "Newest" });

    // Concurrent writers: the guard is in the SQL, so the newer one wins in either order.
    const racers = [version(base, 200_000, "Race newer"), version(base, 150_000, "Race older")];
    await Promise.all(racers.map((r) => store(scope, [r])));
    expect(await issueRow(scope, id)).toMatchObject({ summary: "Race newer" });
  });

  it("deleted issues get deleted_at; a version after the deletion or a new issue with the key works", async () => {
    const site = await createSimSite({ seed: 35, issues: 6 });
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    await store(scope, records);
    const [a, b] = records as [IssueRecord, IssueRecord];

    expect(
      await inTenant(scope, (tx) => markIssuesDeleted(tx, scope, [a.issue.jiraId, "nope"])),
    ).toBe(1);
    expect(await inTenant(scope, (tx) => markIssuesDeleted(tx, scope, [a.issue.jiraId]))).toBe(0);
    expect((await issueRow(scope, a.issue.jiraId))?.deleted_at).toBeInstanceOf(Date);
    const versions = await inTenant(scope, (tx) => issueVersions(tx, scope));
    expect(versions.has(a.issue.jiraId)).toBe(false);
    expect(versions.size).toBe(records.length - 1);

    // Reconciliation finds it still in Jira: storing it again brings it back.
    expect((await store(scope, [a])).written).toEqual([a.issue.jiraId]);
    expect((await issueRow(scope, a.issue.jiraId))?.deleted_at).toBeNull();

    // A deletion never moves the stored version: no time from outside Jira's own reads becomes one.
    const before = (await issueRow(scope, b.issue.jiraId))?.jira_updated;
    await inTenant(scope, (tx) => markIssuesDeleted(tx, scope, [b.issue.jiraId]));
    expect((await issueRow(scope, b.issue.jiraId))?.jira_updated).toEqual(before);
    expect((await issueRow(scope, b.issue.jiraId))?.deleted_at).toBeInstanceOf(Date);

    // The key is re-created under another jira id: the deleted row frees it.
    const recreated = version(
      { ...b, issue: { ...b.issue, jiraId: "99999" }, comments: b.comments.slice(0, 1) },
      0,
      "Re-created",
    );
    expect((await store(scope, [recreated])).written).toEqual(["99999"]);
    expect(await issueRow(scope, b.issue.jiraId)).toBeUndefined();
    expect(await issueRow(scope, "99999")).toMatchObject({ key: b.issue.key, deleted_at: null });
  });

  it("a live row holding an incoming key under another jira id gives the key up", async () => {
    const site = await createSimSite({ seed: 40, issues: 4 });
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    const [a, b] = records as [IssueRecord, IssueRecord];
    expect(await store(scope, [])).toEqual({ written: [], skippedStale: [] });
    await store(scope, [a, b]);
    // Jira never reuses a key: if it now says b has a's key, a's stored key is stale.
    const moved = { ...b, issue: { ...b.issue, key: a.issue.key } };
    expect((await store(scope, [moved])).written).toEqual([b.issue.jiraId]);
    expect(await issueRow(scope, a.issue.jiraId)).toBeUndefined();
    expect(await issueRow(scope, b.issue.jiraId)).toMatchObject({ key: a.issue.key });
    // The census then reports a as missing, and storing it (under its real key) works.
    const versions = await inTenant(scope, (tx) => issueVersions(tx, scope));
    expect(versions.has(a.issue.jiraId)).toBe(false);
  });

  it("leaves other tenants' rows alone, and RLS refuses writes into another tenant", async () => {
    const site = await createSimSite({ seed: 36, issues: 10 });
    const [records, a, b] = await Promise.all([fetchRecords(site), newScope(), newScope()]);
    await Promise.all([store(a, records), store(b, records)]);
    const snapshotB = () =>
      adminQuery<Json>(
        `select i.jira_id, i.summary, i.synced_at, i.deleted_at, i.comments_count,
                (select count(*) from comments c where c.issue_id = i.id) as comments
         from issues i where i.tenant_id = $1 order by i.jira_id`,
        [b.tenantId],
      );
    const before = await snapshotB();
    const first = records[0]!;
    await store(
      a,
      records.map((r) => version(r, 1000, "Changed in A")),
    );
    await inTenant(a, (tx) => markIssuesDeleted(tx, a, [first.issue.jiraId]));
    expect(await snapshotB()).toEqual(before);

    // A's transaction claiming B's scope: row-level security rejects the rows.
    const failure = await inTenant(a, (tx) => upsertIssues(tx, b, [version(first, 5000)])).then(
      () => undefined,
      (error: unknown) => findPgError(error),
    );
    expect(failure?.message).toMatch(/row-level security/);
    expect(await snapshotB()).toEqual(before);
  });
});

describe("sync store: reconciliation support", () => {
  it("digests are equal after store → read, whichever path fetched, and differ after a silent change", async () => {
    const site = await createSimSite({ seed: 37, issues: 15 });
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    await store(scope, records);
    const ids = records.map((r) => r.issue.jiraId);
    const stored = await inTenant(scope, (tx) => storedIssueDigests(tx, scope, [...ids, "404"]));
    expect(stored.size).toBe(records.length);
    for (const record of records) {
      const fresh = issueRecordDigest(record);
      expect(diffDigests(fresh, stored.get(record.issue.jiraId)!), record.issue.key).toEqual([]);
      expect(stored.get(record.issue.jiraId)?.digest).toBe(fresh.digest);
    }
    // The read-back records are the records that were stored.
    const readBack = await inTenant(scope, (tx) => storedIssueRecords(tx, scope, ids));
    expect(readBack.get(records[0]!.issue.jiraId)).toEqual(records[0]);

    // The single-issue path (GET /issue) maps to the same digest as the search path.
    const target = records.find((r) => r.comments.length > 20) ?? records[0]!;
    const viaGet = await fetchOne(site, target.issue.key);
    expect(issueRecordDigest(viaGet)).toEqual(issueRecordDigest(target));

    // A silent change (Jira's `updated` does not move) shows up field by field.
    await simCall(`${site.url}/_sim/issues/${target.issue.key}`, "PATCH", {
      fields: { summary: "Silently changed", customfield_10010: "CR-silent" },
      silent: true,
    });
    const changed = await fetchOne(site, target.issue.key);
    expect(changed.issue.updated).toEqual(target.issue.updated);
    const before = (
      await inTenant(scope, (tx) => storedIssueDigests(tx, scope, [target.issue.jiraId]))
    ).get(target.issue.jiraId)!;
    expect(diffDigests(issueRecordDigest(changed), before)).toEqual([
      "customFields",
      "rawFields",
      "summary",
    ]);
    // Repair: the equal version rewrites, and the digests agree again.
    expect((await store(scope, [changed])).written).toEqual([target.issue.jiraId]);
    const after = (
      await inTenant(scope, (tx) => storedIssueDigests(tx, scope, [target.issue.jiraId]))
    ).get(target.issue.jiraId)!;
    expect(after.digest).toBe(issueRecordDigest(changed).digest);
  });

  it("awkward content round-trips to the same digest", async () => {
    const site = await createSimSite({ seed: 41, issues: 3 });
    const [issues, scope] = await Promise.all([searchAll(clientFor(site)), newScope()]);
    const base = issues[0]!;
    const odd: JiraIssue = {
      ...base,
      fields: {
        ...base.fields,
        summary: "Ünïcödé 🚀 \u0000nul \uD83D lone — 日本語 ״quotes״ 'single'",
        description: null,
        labels: ["a,b", '"q"', "{x}", "back\\slash", "NULL", "ünï", ""],
        customfield_10010: {
          z: 1.5,
          a: [1e21, -0, 2 ** 60 + 1, null],
          ß: { "\u0000": true },
        },
        customfield_10011: "",
        customfield_10012: 0.1 + 0.2,
      },
    };
    const record = await toRecord(odd);
    await store(scope, [record]);
    const stored = await inTenant(scope, (tx) => storedIssueDigests(tx, scope, [odd.id]));
    expect(diffDigests(issueRecordDigest(record), stored.get(odd.id)!)).toEqual([]);
    expect(await issueRow(scope, odd.id)).toMatchObject({
      summary: "Ünïcödé 🚀 nul \uFFFD lone — 日本語 ״quotes״ 'single'",
      labels: ["a,b", '"q"', "{x}", "back\\slash", "NULL", "ünï"],
      description: null,
      description_text: "",
    });
  });

  it("a 300-issue site: batch upsert, census by pages, idempotent catalogue", async () => {
    const site = await createSimSite({ seed: 39, issues: 300 });
    const client = clientFor(site);
    const [records, scope] = await Promise.all([fetchRecords(site), newScope()]);
    expect(records).toHaveLength(300);
    const started = Date.now();
    const result = await store(scope, records);
    console.info(`sync-store: 300 issues upserted in ${Date.now() - started} ms`);
    expect(result.written).toHaveLength(300);
    expect(await count("issues", scope)).toBe(300);
    expect(await count("comments", scope)).toBe(records.reduce((n, r) => n + r.comments.length, 0));
    expect(await count("changelogs", scope)).toBe(
      records.reduce((n, r) => n + r.changelogs.length, 0),
    );

    const versions = await inTenant(scope, (tx) => issueVersions(tx, scope));
    expect(versions.size).toBe(300);
    for (const r of records) {
      expect(versions.get(r.issue.jiraId)).toBe(r.issue.updated.toISOString());
    }
    const pages = await inTenant(scope, async (tx) => collect(issueVersionPages(tx, scope, 70)));
    expect(pages.map((p) => p.length)).toEqual([70, 70, 70, 70, 20]);
    expect(new Set(pages.flat().map((v) => v.jiraId)).size).toBe(300);

    const projects = recordsOf(await collect(client.projects()), projectRecord);
    await inTenant(scope, (tx) => upsertProjects(tx, scope, projects));
    await inTenant(scope, (tx) => upsertProjects(tx, scope, projects));
    expect(await count("projects", scope)).toBe(projects.length);
    // A project key reused by another project moves to it.
    const [first] = projects;
    await inTenant(scope, (tx) => upsertProjects(tx, scope, [{ ...first!, jiraId: "77777" }]));
    const holders = await adminQuery<{ jira_id: string }>(
      "select jira_id from projects where tenant_id = $1 and key = $2",
      [scope.tenantId, first!.key],
    );
    expect(holders).toEqual([{ jira_id: "77777" }]);
  });
});
