import { describe, expect, it } from "vitest";
import {
  collect,
  createJiraClient,
  isTruncated,
  type JiraClientOptions,
  JiraError,
  type JiraIssue,
} from "../../src/infrastructure/jira";
import { createSimSite, type SimSite, simCall } from "../helpers/jira-site";

interface TruthIssue {
  id: string;
  key: string;
  fields: { comment: { comments: { id: string }[]; total: number }; summary: string };
  changelog: { histories: { id: string }[]; total: number };
}

const groundTruth = async (site: SimSite) =>
  (await simCall<{ issues: TruthIssue[] }>(`${site.url}/_sim/issues`)).issues;

const requestCount = async (site: SimSite) =>
  (await simCall<{ total: number }>(`${site.url}/_sim/requests`)).total;

function clientFor(site: SimSite, options: Partial<JiraClientOptions> = {}) {
  return createJiraClient({
    baseUrl: site.url,
    auth: { type: "basic", email: site.email, apiToken: site.apiToken },
    baseDelayMs: 10,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<JiraError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JiraError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected a JiraError");
}

async function projectJql(client: ReturnType<typeof clientFor>): Promise<string> {
  const keys = (await collect(client.projects())).map((p) => p.key);
  return `project IN (${keys.join(", ")}) ORDER BY created ASC`;
}

describe("jira client against the simulator", () => {
  it("reads identity, server info and fields", async () => {
    const site = await createSimSite({ seed: 11, issues: 3 });
    const client = clientFor(site);
    const me = await client.myself();
    expect(me.accountId).toEqual(expect.any(String));
    expect((await client.serverInfo()).deploymentType).toBe("Cloud");
    const fields = await client.fields();
    expect(fields.map((f) => f.id)).toEqual(expect.arrayContaining(["summary", "status"]));
    expect(fields.some((f) => f.custom === true && f.id.startsWith("customfield_"))).toBe(true);
  });

  it("pages projects and users to the last page", async () => {
    const site = await createSimSite({ seed: 12, issues: 3, projects: 7, users: 130 });
    const client = clientFor(site);
    const projects = await collect(client.projects({ pageSize: 3 }));
    expect(projects).toHaveLength(site.counts.projects);
    expect(new Set(projects.map((p) => p.key)).size).toBe(site.counts.projects);
    const users = await collect(client.users({ pageSize: 50 }));
    expect(users).toHaveLength(site.counts.users);
    expect(new Set(users.map((u) => u.accountId)).size).toBe(site.counts.users);
  });

  it("pages search/jql by token to the last page; the count equals the ground truth", async () => {
    const site = await createSimSite({ seed: 13, issues: 230, projects: 4 });
    const client = clientFor(site);
    const jql = await projectJql(client);
    const pages = await collect(
      client.searchJql({ jql, fields: ["summary", "updated", "status"], maxResults: 50 }),
    );
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages.slice(0, -1).every((p) => p.isLast !== true && p.nextPageToken)).toBe(true);
    expect(pages.at(-1)?.isLast).toBe(true);
    const issues = pages.flatMap((p) => p.issues);
    expect(issues.every((i) => typeof i.fields?.summary === "string")).toBe(true);
    const truth = await groundTruth(site);
    expect(issues).toHaveLength(truth.length);
    expect(new Set(issues.map((i) => i.id))).toEqual(new Set(truth.map((i) => i.id)));

    // An id-only sweep (Jira's default fields) comes back in one big page.
    const ids = await collect(client.searchIssues({ jql, maxResults: 5000 }));
    expect(ids.map((i) => i.id).sort()).toEqual(truth.map((i) => i.id).sort());
    expect(ids[0]?.fields?.summary).toBeUndefined();
  });

  it("completes truncated comments and changelogs (issues with >100 of each)", async () => {
    const site = await createSimSite({ seed: 14, issues: 30, projects: 2 });
    const client = clientFor(site, { maxConcurrency: 4 });
    const truth = new Map((await groundTruth(site)).map((i) => [i.id, i]));
    const heavy = [...truth.values()].filter(
      (i) => i.fields.comment.comments.length > 100 && i.changelog.histories.length > 100,
    );
    expect(heavy.length).toBeGreaterThanOrEqual(1);

    const jql = await projectJql(client);
    const searched = await collect(
      client.searchIssues({ jql, fields: ["summary", "comment"], expand: "changelog" }),
    );
    expect(searched).toHaveLength(truth.size);
    const truncated = searched.filter((i) => {
      const t = isTruncated(i);
      return t.comments || t.changelog;
    });
    expect(truncated.map((i) => i.id)).toEqual(expect.arrayContaining(heavy.map((h) => h.id)));

    const completed: JiraIssue[] = await Promise.all(searched.map((i) => client.completeIssue(i)));
    for (const issue of completed) {
      const expected = truth.get(issue.id);
      expect(expected).toBeDefined();
      const comments = issue.fields?.comment as { comments: { id: string }[]; total: number };
      expect(comments.comments.map((c) => c.id)).toEqual(
        expected?.fields.comment.comments.map((c) => c.id),
      );
      expect(comments.total).toBe(comments.comments.length);
      expect(new Set(issue.changelog?.histories.map((h) => h.id))).toEqual(
        new Set(expected?.changelog.histories.map((h) => h.id)),
      );
      expect(isTruncated(issue)).toEqual({ comments: false, changelog: false });
    }

    // The same changelogs through POST /changelog/bulkfetch (token paging).
    const heavyIds = heavy.map((h) => h.id);
    const byIssue = new Map<string, string[]>();
    for await (const entry of client.bulkFetchChangelogs(heavyIds, { maxResults: 50 })) {
      byIssue.set(entry.issueId, [
        ...(byIssue.get(entry.issueId) ?? []),
        ...entry.changeHistories.map((h) => h.id),
      ]);
    }
    for (const h of heavy) {
      expect(byIssue.get(h.id)).toEqual(h.changelog.histories.map((x) => x.id));
    }
  });

  it("bulk-fetches issues and reports the missing ones", async () => {
    const site = await createSimSite({ seed: 15, issues: 12, projects: 1 });
    const client = clientFor(site);
    const truth = await groundTruth(site);
    const wanted = truth.slice(0, 5).map((i) => i.key);
    const result = await client.bulkFetchIssues([...wanted, "99999999", "NOPE-1"], {
      fields: ["summary"],
    });
    expect(result.issues.map((i) => i.key).sort()).toEqual([...wanted].sort());
    expect(result.missing).toEqual(["99999999", "NOPE-1"]);
    expect(result.issues[0]?.fields?.summary).toEqual(expect.any(String));
  });

  it("classifies 404 and 400 without retrying them", async () => {
    const site = await createSimSite({ seed: 16, issues: 3, projects: 1 });
    const client = clientFor(site);
    let before = await requestCount(site);
    const notFound = await failure(client.getIssue("NOPE-404"));
    expect(notFound).toMatchObject({ kind: "not_found", status: 404, retry: false });
    expect(notFound.errorMessages.length).toBeGreaterThan(0);
    expect(await requestCount(site)).toBe(before + 1);

    before = await requestCount(site);
    const badJql = await failure(collect(client.searchJql({ jql: "project = = (" })));
    expect(badJql).toMatchObject({ kind: "invalid", status: 400, retry: false });
    expect(badJql.message).toContain("JQL");
    expect(badJql.message).not.toContain(site.apiToken);
    expect(await requestCount(site)).toBe(before + 1);
  });

  it("creates, edits, comments on and transitions an issue", async () => {
    const site = await createSimSite({ seed: 17, issues: 2, projects: 1 });
    const client = clientFor(site);
    const [project] = await collect(client.projects());
    expect(project).toBeDefined();
    const created = await client.createIssue({
      projectKey: project?.key ?? "",
      issueType: "Task",
      summary: "Created by the client",
      description: "First line\n\nSecond paragraph",
      fields: { labels: ["sync"] },
    });
    expect(created.key).toMatch(/^[A-Z]+-\d+$/);

    await client.editIssue(created.key, { fields: { summary: "Edited summary" } });
    const comment = await client.addComment(created.key, "Hello from @client");
    expect(comment.id).toEqual(expect.any(String));

    const transitions = await client.getTransitions(created.key);
    const done = transitions.find((t) => t.to?.name === "Done") ?? transitions.at(-1);
    expect(done).toBeDefined();
    await client.transitionIssue(created.key, done?.id ?? "");

    const issue = await client.getIssue(created.key, {
      fields: ["summary", "status", "labels", "comment", "description"],
    });
    expect(issue.fields?.summary).toBe("Edited summary");
    expect(issue.fields?.labels).toEqual(["sync"]);
    expect((issue.fields?.status as { name?: string } | undefined)?.name).toBe(done?.to?.name);
    const comments = issue.fields?.comment as { comments: { id: string }[] };
    expect(comments.comments.map((c) => c.id)).toContain(comment.id);
    expect(issue.fields?.description).toMatchObject({ type: "doc", version: 1 });
  });
});
