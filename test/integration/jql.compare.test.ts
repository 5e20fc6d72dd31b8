import { describe, expect, it } from "vitest";
import { generateJql, ourKeys, simKeys, type Vocabulary } from "../helpers/jql";
import {
  connectSite,
  runSync,
  type SyncedSite,
  simGet,
  simSend,
  syncStatus,
} from "../helpers/sync";
import { deliver, deliveries, recordWebhooks } from "../helpers/webhooks";

interface TruthIssue {
  key: string;
  fields: {
    project: { key: string };
    status: { name: string };
    issuetype: { name: string };
    priority: { name: string } | null;
    labels: string[];
    assignee: { accountId: string } | null;
    reporter: { accountId: string } | null;
  };
}

let synced: SyncedSite;

async function vocabulary(): Promise<Vocabulary> {
  const { issues } = await simGet<{ issues: TruthIssue[] }>(synced, "/issues?maxResults=5000");
  const distinct = (values: (string | undefined | null)[]) =>
    [...new Set(values.filter((v): v is string => !!v))].sort();
  return {
    projects: distinct(issues.map((i) => i.fields.project.key)),
    statuses: distinct(issues.map((i) => i.fields.status.name)),
    types: distinct(issues.map((i) => i.fields.issuetype.name)),
    priorities: distinct(issues.map((i) => i.fields.priority?.name)),
    labels: distinct(issues.flatMap((i) => i.fields.labels)),
    users: distinct(
      issues.flatMap((i) => [i.fields.assignee?.accountId, i.fields.reporter?.accountId]),
    ),
  };
}

async function expectSameAnswers(queries: string[]) {
  for (const jql of queries) {
    const [ours, theirs] = [await ourKeys(synced, jql), await simKeys(synced, jql)];
    expect(ours, jql).toEqual(theirs);
  }
}

describe("JQL answers match the simulator's (Jira's) own", () => {
  it("backfills a seeded site in another time zone", async () => {
    synced = await connectSite({ seed: 1717, issues: 60, timeZone: "Europe/Prague" } as never);
    const status = await runSync(synced, "backfill");
    expect(status.backfill.issuesSynced).toBe(60);
  }, 120_000);

  it("for 60 generated queries on the synced site", async () => {
    const vocab = await vocabulary();
    const queries = generateJql(17, 60, vocab);
    await expectSameAnswers(queries);
  }, 120_000);

  it("for 30 more after the data changed in Jira and the sync applied it", async () => {
    const vocab = await vocabulary();
    const { issues } = await simGet<{ issues: TruthIssue[] }>(synced, "/issues?maxResults=5000");
    for (const issue of issues.slice(0, 8)) {
      await simSend(synced, "PATCH", `/issues/${issue.key}`, {
        fields: { labels: ["jql-moved"], priority: { name: vocab.priorities[0] } },
      });
    }
    await runSync(synced, "poll");
    const changed = { ...vocab, labels: [...vocab.labels, "jql-moved"] };
    await expectSameAnswers(generateJql(18, 30, changed));
    const moved = await ourKeys(synced, "labels = jql-moved ORDER BY key");
    expect(new Set(moved)).toEqual(new Set(issues.slice(0, 8).map((i) => i.key)));
  }, 120_000);

  it("for 30 more after webhooks brought edits and transitions", async () => {
    await recordWebhooks(synced);
    const { issues } = await simGet<{ issues: TruthIssue[] }>(synced, "/issues?maxResults=5000");
    const vocab = await vocabulary();
    for (const [i, issue] of issues.slice(10, 22).entries()) {
      await simSend(synced, "PATCH", `/issues/${issue.key}`, {
        fields: { labels: ["via-webhook"], priority: { name: vocab.priorities[i % 2] } },
        webhook: true,
      });
      if (i % 3 === 0) {
        await simSend(synced, "POST", `/issues/${issue.key}/transition`, {
          to: "Done",
          webhook: true,
        }).catch(
          () => undefined, // no transition to Done from its status: the edit alone suffices
        );
      }
    }
    const sent = await deliveries(synced);
    expect(sent.length).toBeGreaterThanOrEqual(12);
    const before = (await syncStatus(synced)).counters.webhooksApplied ?? 0;
    for (const delivery of sent) {
      expect((await deliver(synced, delivery)).status).toBe(202);
    }
    await expect
      .poll(async () => (await ourKeys(synced, "labels = via-webhook")).length, { timeout: 30_000 })
      .toBe(12);
    expect((await syncStatus(synced)).counters.webhooksApplied ?? 0).toBeGreaterThan(before);
    const changed = { ...(await vocabulary()), labels: [...vocab.labels, "via-webhook"] };
    await expectSameAnswers(generateJql(19, 30, changed));
  }, 180_000);
});
