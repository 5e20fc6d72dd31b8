import { describe, expect, it } from "vitest";
import { fieldRecord, projectRecord, userRecord } from "../../src/domain/catalog-record";
import { commentRecord } from "../../src/domain/comment-record";
import { DomainError } from "../../src/domain/errors";
import { issueRecord, type JiraIssueInput } from "../../src/domain/issue-record";
import { jiraDate } from "../../src/domain/json-record";
import { diffDigests, issueRecordDigest } from "../../src/infrastructure/db/sync-store/digest";

const adf = (text: string) => ({
  type: "doc",
  version: 1,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});

const status = (name: string, key: string) => ({
  id: "10001",
  name,
  statusCategory: { id: 4, key, name: key },
});

function fullIssue(): JiraIssueInput {
  return {
    id: "10042",
    key: "OPS-42",
    self: "https://x.atlassian.net/rest/api/3/issue/10042",
    fields: {
      summary: "Deploy 🚀 the gateway — עברית",
      description: adf("Steps to reproduce"),
      status: status("In Progress", "indeterminate"),
      issuetype: { id: "10003", name: "Bug", subtask: false },
      priority: { id: "2", name: "High" },
      assignee: { accountId: "acc-1", displayName: "A", emailHash: "h1" },
      reporter: { accountId: "acc-2", displayName: "B" },
      labels: ["backend", "p1"],
      components: [
        { id: "1", name: "API" },
        { id: "2", name: "Web" },
      ],
      fixVersions: [{ id: "3", name: "1.2" }],
      project: { id: "10000", key: "OPS", name: "Operations" },
      created: "2025-01-15T10:23:45.123+0000",
      updated: "2025-01-16T12:00:00.000+0530",
      resolutiondate: "2025-01-17T08:00:00.500-0800",
      resolution: { id: "1", name: "Done" },
      customfield_10010: "CR-1",
      customfield_10012: 3.5,
      customfield_10013: { id: "100", value: "S1" },
      customfield_10015: { accountId: "acc-3", displayName: "C", emailHash: "h3" },
      customfield_10018: [],
      customfield_10099: null,
      issuelinks: [
        {
          id: "500",
          type: { name: "Blocks", inward: "is blocked by", outward: "blocks" },
          outwardIssue: { id: "10050", key: "OPS-50" },
        },
        {
          id: "501",
          type: { name: "Relates", inward: "relates to", outward: "relates to" },
          inwardIssue: { id: "10051", key: "WEB-7" },
        },
      ],
      comment: {
        total: 2,
        comments: [
          {
            id: "2",
            author: { accountId: "acc-1" },
            body: adf("second"),
            created: "2025-01-16T09:00:00.000+0000",
            updated: "2025-01-16T09:30:00.000+0000",
          },
          {
            id: "1",
            body: adf("first"),
            created: "2025-01-15T11:00:00.000+0000",
            updated: "2025-01-15T11:00:00.000+0000",
          },
        ],
      },
    },
    // Embedded changelogs come newest first.
    changelog: {
      histories: [
        {
          id: "11",
          author: { accountId: "acc-2" },
          created: "2025-01-16T06:00:00.000+0000",
          items: [{ field: "status" }],
        },
        { id: "10", created: "2025-01-15T12:00:00.000+0000", items: [{ field: "assignee" }] },
      ],
    },
  };
}

describe("jiraDate", () => {
  it("parses Jira's offset without a colon, ISO strings, and rejects junk", () => {
    expect(jiraDate("2025-01-15T10:23:45.123+0000")?.toISOString()).toBe(
      "2025-01-15T10:23:45.123Z",
    );
    expect(jiraDate("2025-01-15T10:23:45.123+0530")?.toISOString()).toBe(
      "2025-01-15T04:53:45.123Z",
    );
    expect(jiraDate("2025-01-15T10:23:45-0800")?.toISOString()).toBe("2025-01-15T18:23:45.000Z");
    expect(jiraDate("2025-01-15T10:23:45.123Z")?.toISOString()).toBe("2025-01-15T10:23:45.123Z");
    expect(jiraDate("not a date")).toBeNull();
    expect(jiraDate(null)).toBeNull();
    expect(jiraDate("")).toBeNull();
  });
});

describe("issueRecord", () => {
  it("maps every column of a full issue", () => {
    const { issue } = issueRecord(fullIssue());
    expect(issue).toMatchObject({
      jiraId: "10042",
      key: "OPS-42",
      projectKey: "OPS",
      projectId: "10000",
      summary: "Deploy 🚀 the gateway — עברית",
      description: adf("Steps to reproduce"),
      descriptionText: "Steps to reproduce",
      status: "In Progress",
      statusId: "10001",
      statusCategory: "indeterminate",
      issueType: "Bug",
      isSubtask: false,
      priority: "High",
      priorityId: "2",
      assigneeAccountId: "acc-1",
      reporterAccountId: "acc-2",
      labels: ["backend", "p1"],
      components: ["API", "Web"],
      fixVersions: ["1.2"],
      parentKey: null,
      resolution: "Done",
    });
    expect(issue.created.toISOString()).toBe("2025-01-15T10:23:45.123Z");
    expect(issue.updated.toISOString()).toBe("2025-01-16T06:30:00.000Z");
    expect(issue.resolved?.toISOString()).toBe("2025-01-17T16:00:00.500Z");
  });

  it("keeps custom fields as Jira gave them and drops nulls", () => {
    const { issue } = issueRecord(fullIssue());
    expect(issue.customFields).toEqual({
      customfield_10010: "CR-1",
      customfield_10012: 3.5,
      customfield_10013: { id: "100", value: "S1" },
      customfield_10015: { accountId: "acc-3", displayName: "C", emailHash: "h3" },
      customfield_10018: [],
    });
  });

  it("maps comments and histories oldest first, with ADF turned into text", () => {
    const record = issueRecord(fullIssue());
    expect(record.comments.map((c) => [c.jiraId, c.bodyText, c.authorAccountId])).toEqual([
      ["1", "first", null],
      ["2", "second", "acc-1"],
    ]);
    expect(record.comments[1]?.updated.toISOString()).toBe("2025-01-16T09:30:00.000Z");
    expect(record.comments[1]?.raw).not.toHaveProperty("body");
    expect(record.changelogs.map((h) => [h.jiraId, h.authorAccountId])).toEqual([
      ["10", null],
      ["11", "acc-2"],
    ]);
    expect(record.changelogs[1]?.items).toEqual([{ field: "status" }]);
  });

  it("maps links in both directions", () => {
    expect(issueRecord(fullIssue()).links).toEqual([
      {
        jiraId: "500",
        linkType: "Blocks",
        direction: "outward",
        description: "blocks",
        otherIssueKey: "OPS-50",
        otherIssueJiraId: "10050",
      },
      {
        jiraId: "501",
        linkType: "Relates",
        direction: "inward",
        description: "relates to",
        otherIssueKey: "WEB-7",
        otherIssueJiraId: "10051",
      },
    ]);
  });

  it("keeps raw without comments, histories or emails", () => {
    const input = fullIssue();
    const fields = input.fields ?? {};
    fields.creator = { accountId: "acc-9", emailAddress: "leak@example.com" };
    const { issue } = issueRecord(input);
    expect(issue.raw).toMatchObject({ id: "10042", key: "OPS-42", self: input.self });
    expect(issue.raw).not.toHaveProperty("changelog");
    expect(issue.raw.fields).not.toHaveProperty("comment");
    expect(JSON.stringify(issue.raw)).not.toContain("leak@example.com");
    expect(input.fields?.creator).toHaveProperty("emailAddress");
  });

  it("maps a bare issue: null fields, no description, nothing embedded", () => {
    const record = issueRecord({
      id: "7",
      key: "AB-CD-3",
      fields: {
        summary: null,
        description: null,
        status: null,
        assignee: null,
        priority: null,
        labels: null,
        updated: "2025-02-01T00:00:00.000+0000",
      },
    });
    expect(record.issue).toMatchObject({
      projectKey: "AB-CD",
      projectId: null,
      summary: "",
      description: null,
      descriptionText: "",
      status: null,
      statusCategory: null,
      issueType: null,
      isSubtask: false,
      priority: null,
      assigneeAccountId: null,
      labels: [],
      components: [],
      resolved: null,
      customFields: {},
    });
    // No `created`: the issue's version stands in (the column is NOT NULL).
    expect(record.issue.created).toEqual(record.issue.updated);
    expect(record).toMatchObject({ comments: [], changelogs: [], links: [] });
  });

  it("maps a subtask with its parent", () => {
    const input = fullIssue();
    Object.assign(input.fields ?? {}, {
      issuetype: { id: "10005", name: "Sub-task", subtask: true },
      parent: { id: "10040", key: "OPS-40", fields: { summary: "Parent" } },
    });
    expect(issueRecord(input).issue).toMatchObject({
      issueType: "Sub-task",
      isSubtask: true,
      parentKey: "OPS-40",
    });
  });

  it("makes text storable: NUL removed, lone surrogates replaced, other unicode intact", () => {
    const input = fullIssue();
    Object.assign(input.fields ?? {}, {
      summary: "a\u0000b \uD83D end 👍🏽 é",
      customfield_10010: { "k\u0000": "v\uDE00" },
    });
    const { issue } = issueRecord(input);
    expect(issue.summary).toBe("ab \uFFFD end 👍🏽 é");
    expect(issue.customFields.customfield_10010).toEqual({ k: "v\uFFFD" });
  });

  it("refuses an issue without id, key or updated", () => {
    expect(() => issueRecord({ id: "1", key: "A-1", fields: {} })).toThrow(DomainError);
    expect(() =>
      issueRecord({ id: "1", fields: { updated: "2025-01-01T00:00:00.000+0000" } }),
    ).toThrow(DomainError);
  });

  it("deduplicates comments and links repeated by Jira", () => {
    const input = fullIssue();
    const fields = input.fields ?? {};
    const comment = fields.comment as { comments: unknown[] };
    comment.comments.push({ ...(comment.comments[0] as object) });
    (fields.issuelinks as unknown[]).push((fields.issuelinks as unknown[])[0]);
    const record = issueRecord(input);
    expect(record.comments).toHaveLength(2);
    expect(record.links).toHaveLength(2);
  });
});

describe("single comments and the catalogue", () => {
  it("maps a webhook comment (v2: body is wiki text)", () => {
    const row = commentRecord({
      id: "9",
      body: "h1. Title",
      author: { accountId: "u" },
      created: "2025-01-15T10:23:45.123+0000",
    });
    expect(row).toMatchObject({ jiraId: "9", bodyText: "h1. Title", authorAccountId: "u" });
    expect(row?.updated).toEqual(row?.created);
    expect(commentRecord({ body: "no id" })).toBeNull();
  });

  it("maps projects, users and fields", () => {
    expect(
      projectRecord({
        id: "1",
        key: "OPS",
        name: "Ops",
        projectTypeKey: "software",
        lead: { accountId: "l" },
      }),
    ).toMatchObject({
      jiraId: "1",
      key: "OPS",
      name: "Ops",
      projectType: "software",
      leadAccountId: "l",
    });
    expect(projectRecord({ id: "1" })).toBeNull();

    const user = userRecord({
      accountId: "a",
      displayName: "Ann",
      active: false,
      accountType: "atlassian",
      emailHash: "hash",
      timeZone: "Europe/Berlin",
      emailAddress: "unscrubbed@example.com",
    });
    expect(user).toMatchObject({
      accountId: "a",
      displayName: "Ann",
      active: false,
      accountType: "atlassian",
      emailHash: "hash",
      timeZone: "Europe/Berlin",
    });
    expect(JSON.stringify(user)).not.toContain("unscrubbed");
    expect(userRecord({ accountId: "app" })).toMatchObject({
      displayName: "",
      active: true,
      emailHash: null,
    });

    expect(
      fieldRecord({
        id: "customfield_10021",
        name: "Reviewers",
        custom: true,
        schema: {
          type: "array",
          items: "user",
          custom: "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker",
        },
      }),
    ).toMatchObject({
      fieldId: "customfield_10021",
      name: "Reviewers",
      custom: true,
      schemaType: "array",
      schemaItems: "user",
      schemaCustom: "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker",
    });
    expect(fieldRecord({ id: "summary", name: "Summary" })).toMatchObject({
      custom: false,
      schemaType: null,
    });
  });
});

describe("issueRecordDigest", () => {
  it("ignores key order, child order and volatile raw fields; names the parts that differ", () => {
    const record = issueRecord(fullIssue());
    const digest = issueRecordDigest(record);
    const reordered = {
      ...record,
      issue: {
        ...record.issue,
        customFields: Object.fromEntries(Object.entries(record.issue.customFields).reverse()),
        raw: {
          ...record.issue.raw,
          fields: {
            ...(record.issue.raw.fields as object),
            lastViewed: "2025-03-01T00:00:00.000+0000",
          },
        },
      },
      comments: [...record.comments].reverse(),
      links: [...record.links].reverse(),
    };
    expect(issueRecordDigest(reordered)).toEqual(digest);

    const edited = {
      ...record,
      comments: record.comments.map((c, i) => (i === 0 ? { ...c, bodyText: "edited" } : c)),
      issue: { ...record.issue, labels: ["p1", "backend"] },
    };
    expect(diffDigests(issueRecordDigest(edited), digest)).toEqual(["comments", "labels"]);
    expect(issueRecordDigest(edited).digest).not.toBe(digest.digest);
    expect(diffDigests(digest, digest)).toEqual([]);
  });
});
