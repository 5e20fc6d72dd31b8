import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adfToText } from "../../src/domain/adf";
import { instanceMetricsLabel } from "../../src/infrastructure/observability/metric-labels";
import { adminQuery } from "../helpers/admin-db";
import { testEnv } from "../helpers/env";
import { call } from "../helpers/http";
import {
  connectSite,
  runSync,
  type SyncedSite,
  simGet,
  simSend,
  stubOf,
  syncStatus,
} from "../helpers/sync";

interface TruthIssue {
  id: string;
  key: string;
  fields: Record<string, unknown> & {
    summary: string;
    status: { name: string; statusCategory: { key: string } };
    labels: string[];
    comment: { comments: { id: string; body: unknown }[]; total: number };
    issuelinks: unknown[];
  };
  changelog: { histories: { id: string }[]; total: number };
}

/** A deep copy without `emailAddress`/`emailHash` keys, to compare user-bearing values. */
function withoutEmails(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(withoutEmails);
  }
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "emailAddress" && key !== "emailHash")
        .map(([key, item]) => [key, withoutEmails(item)]),
    );
  }
  return value;
}

async function groundTruth(synced: SyncedSite): Promise<TruthIssue[]> {
  const page = await simGet<{ issues: TruthIssue[] }>(synced, "/issues?maxResults=5000");
  return page.issues;
}

/** Compares every stored issue, comment, history and link with the simulator's ground truth. */
async function expectMirrorEqualsTruth(synced: SyncedSite) {
  const truth = await groundTruth(synced);
  const rows = await adminQuery<{
    jira_id: string;
    key: string;
    summary: string;
    status: string;
    status_category: string;
    labels: string[];
    custom_fields: Record<string, unknown>;
    comments_count: number;
    changelog_count: number;
    raw: unknown;
  }>(
    `select jira_id, key, summary, status, status_category, labels, custom_fields, comments_count,
            changelog_count, raw
       from issues where instance_id = $1 and deleted_at is null`,
    [synced.instanceId],
  );
  expect(rows.map((r) => r.key).sort()).toEqual(truth.map((t) => t.key).sort());
  const byId = new Map(rows.map((r) => [r.jira_id, r]));
  const comments = await adminQuery<{ issue_jira_id: string; n: number; texts: string[] }>(
    `select i.jira_id as issue_jira_id, count(*)::int as n, array_agg(c.body_text order by c.jira_id::bigint) as texts
       from comments c join issues i on i.id = c.issue_id where c.instance_id = $1 group by i.jira_id`,
    [synced.instanceId],
  );
  const commentsById = new Map(comments.map((c) => [c.issue_jira_id, c]));
  const histories = await adminQuery<{ issue_jira_id: string; n: number }>(
    `select i.jira_id as issue_jira_id, count(*)::int as n
       from changelogs h join issues i on i.id = h.issue_id where h.instance_id = $1 group by i.jira_id`,
    [synced.instanceId],
  );
  const historiesById = new Map(histories.map((h) => [h.issue_jira_id, h.n]));
  const links = await adminQuery<{ issue_jira_id: string; n: number }>(
    `select i.jira_id as issue_jira_id, count(*)::int as n
       from issue_links l join issues i on i.id = l.issue_id where l.instance_id = $1 group by i.jira_id`,
    [synced.instanceId],
  );
  const linksById = new Map(links.map((l) => [l.issue_jira_id, l.n]));
  for (const issue of truth) {
    const row = byId.get(issue.id);
    expect(row, issue.key).toBeDefined();
    expect(row?.summary).toBe(issue.fields.summary);
    expect(row?.status).toBe(issue.fields.status.name);
    expect(row?.status_category).toBe(issue.fields.status.statusCategory.key);
    expect([...(row?.labels ?? [])].sort()).toEqual([...issue.fields.labels].sort());
    for (const [field, value] of Object.entries(issue.fields)) {
      if (field.startsWith("customfield_") && value !== null) {
        const stored = row?.custom_fields[field];
        expect(JSON.stringify(stored).includes("emailAddress"), `${issue.key} ${field}`).toBe(
          false,
        );
        // Stored as Jira has it, but for user objects: no email, a hash in its place.
        expect(withoutEmails(stored), `${issue.key} ${field}`).toEqual(withoutEmails(value));
      }
    }
    const allComments = issue.fields.comment.comments;
    expect(row?.comments_count, `${issue.key} comments`).toBe(allComments.length);
    expect(commentsById.get(issue.id)?.n ?? 0).toBe(allComments.length);
    const texts = [...allComments]
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((c) => adfToText(c.body));
    expect(commentsById.get(issue.id)?.texts ?? []).toEqual(texts);
    expect(row?.changelog_count, `${issue.key} changelog`).toBe(issue.changelog.histories.length);
    expect(historiesById.get(issue.id) ?? 0).toBe(issue.changelog.histories.length);
    expect(linksById.get(issue.id) ?? 0, `${issue.key} links`).toBe(issue.fields.issuelinks.length);
    expect(JSON.stringify(row?.raw).includes("emailAddress")).toBe(false);
  }
  return truth;
}

describe("backfill", () => {
  it("mirrors every issue, field, comment, changelog entry and link of the site", async () => {
    const synced = await connectSite({ seed: 11, issues: 24 });
    const status = await runSync(synced, "backfill");
    expect(status.backfill.status).toBe("done");
    const truth = await expectMirrorEqualsTruth(synced);
    expect(status.backfill.issuesSynced).toBe(truth.length);
    expect(truth.some((t) => t.fields.comment.comments.length > 100)).toBe(true);
    expect(status.watermark).not.toBeNull();
    expect(status.counters.issuesUpserted).toBeGreaterThanOrEqual(truth.length);
    const metrics = await (await call("GET", "/metrics")).text();
    // Labelled by a keyed hash of the instance id, never the id itself.
    expect(metrics).not.toContain(synced.instanceId);
    const label = await instanceMetricsLabel(testEnv.ENCRYPTION_KEY, synced.instanceId);
    const upserted = metrics.match(
      new RegExp(`ds_sync_issues_upserted_total\\{instance="${label}"\\} (\\d+)`),
    );
    expect(Number(upserted?.[1])).toBe(status.counters.issuesUpserted);
    expect(metrics).toMatch(
      new RegExp(`ds_jira_requests_total\\{instance="${label}",status="200"\\} \\d+`),
    );
    const users = await adminQuery<{ raw: unknown; email_hash: string | null }>(
      "select raw, email_hash from users where instance_id = $1",
      [synced.instanceId],
    );
    expect(users.length).toBeGreaterThan(0);
    expect(JSON.stringify(users)).not.toContain("@");
    expect(users.some((u) => u.email_hash?.match(/^[0-9a-f]{64}$/))).toBe(true);
  });

  it("completes under 5% 429s and 2% 503s", async () => {
    const synced = await connectSite({ seed: 21, issues: 400 });
    await simSend(synced, "POST", "/faults", {
      rate429: 0.05,
      rate503: 0.02,
      retryAfterSeconds: 1,
    });
    const status = await runSync(synced, "backfill", 120_000);
    await simSend(synced, "POST", "/faults", {});
    expect(status.backfill.status).toBe("done");
    await expectMirrorEqualsTruth(synced);
    const served = await simGet<{ total: number; byStatus: Record<string, number> }>(
      synced,
      "/requests",
    );
    const faults = (served.byStatus["429"] ?? 0) + (served.byStatus["503"] ?? 0);
    expect(faults, `faults among ${served.total} requests`).toBeGreaterThan(0);
    expect(status.counters.retries).toBeGreaterThanOrEqual(faults);
  });

  it("an evicted object resumes a backfill from its cursor, not from zero", async () => {
    const synced = await connectSite({ seed: 13, issues: 250 });
    const stub = stubOf(synced.instanceId);
    // One step per alarm, so the backfill spans several alarms.
    await stub.requestSync(
      { tenantId: synced.tenant.id, instanceId: synced.instanceId },
      { kind: "backfill", trigger: "test" },
    );
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("INSERT OR REPLACE INTO kv (key, value) VALUES ('stepBudgetMs', '1')");
    });
    await runDurableObjectAlarm(stub); // catalog
    await runDurableObjectAlarm(stub); // first page
    const before = await syncStatus(synced);
    expect(before.backfill.status).toBe("running");
    expect(before.backfill.issuesSynced).toBeGreaterThan(0);
    await evictDurableObject(stub);
    const requestsBefore = before.counters.jiraRequests ?? 0;
    let status = await syncStatus(synced);
    for (let i = 0; i < 50 && status.backfill.status !== "done"; i++) {
      await runDurableObjectAlarm(stub);
      status = await syncStatus(synced);
    }
    expect(status.backfill.status).toBe("done");
    const truth = await expectMirrorEqualsTruth(synced);
    expect(status.backfill.issuesSynced).toBe(truth.length);
    // Resuming re-read nothing: no more search pages than a straight run needs.
    const searches = await simGet<{ byRoute: Record<string, number> }>(synced, "/requests");
    const searchCalls = Object.entries(searches.byRoute)
      .filter(([route]) => route.includes("search/jql"))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(searchCalls).toBeLessThanOrEqual(Math.ceil(truth.length / 100) + 3 + 1);
    expect(status.counters.jiraRequests).toBeGreaterThan(requestsBefore);
  });
});
