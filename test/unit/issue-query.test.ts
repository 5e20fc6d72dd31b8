import { describe, expect, it } from "vitest";
import { customFieldCandidates } from "../../src/application/issues/issue-filters";
import { DomainError } from "../../src/domain/errors";
import { issueQueryFingerprint, parseIssueQuery } from "../../src/domain/issue-query";

const fieldErrors = (params: Record<string, string[]>) => {
  try {
    parseIssueQuery(params);
  } catch (error) {
    if (error instanceof DomainError) {
      return error.errors.map((e) => e.path);
    }
    throw error;
  }
  return [];
};

describe("parseIssueQuery", () => {
  it("defaults to newest updated first, and relevance for full text", () => {
    expect(parseIssueQuery({}).sort).toEqual({ field: "updated", descending: true });
    expect(parseIssueQuery({ q: ["login"] }).sort).toEqual({
      field: "relevance",
      descending: true,
    });
    expect(parseIssueQuery({ q: ["login"], sort: ["key"] }).sort).toEqual({
      field: "key",
      descending: false,
    });
    expect(parseIssueQuery({ sort: ["-priority"] }).sort).toEqual({
      field: "priority",
      descending: true,
    });
  });

  it("merges repeated parameters and comma lists, trimmed, deduplicated and sorted", () => {
    const { filters } = parseIssueQuery({
      status: ["Done, In Review", "Done"],
      project: ["web,core"],
      statusCategory: ["DONE"],
      label: ["b", "a,,b"],
    });
    expect(filters.statuses).toEqual(["Done", "In Review"]);
    expect(filters.projects).toEqual(["CORE", "WEB"]);
    expect(filters.statusCategories).toEqual(["done"]);
    expect(filters.labels).toEqual(["a", "b"]);
  });

  it("reads ranges as [from, before): whole days for dates, inclusive instants otherwise", () => {
    const { filters } = parseIssueQuery({
      updatedFrom: ["2025-01-01"],
      updatedTo: ["2025-01-31"],
      createdFrom: ["2025-01-01T10:00:00+0200"],
      createdTo: ["2025-01-02T10:00:00.5Z"],
    });
    expect(filters.updated.from?.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(filters.updated.before?.toISOString()).toBe("2025-02-01T00:00:00.000Z");
    expect(filters.created.from?.toISOString()).toBe("2025-01-01T08:00:00.000Z");
    expect(filters.created.before?.toISOString()).toBe("2025-01-02T10:00:00.501Z");
  });

  it("keeps custom-field values per field, sorted by field id", () => {
    const { filters } = parseIssueQuery({
      "cf.customfield_2": ["b", "a"],
      "cf.customfield_10": ["x"],
    });
    expect(filters.customFields).toEqual([
      { fieldId: "customfield_10", values: ["x"] },
      { fieldId: "customfield_2", values: ["a", "b"] },
    ]);
  });

  it("reports every bad parameter at once", () => {
    expect(
      fieldErrors({
        sort: ["name"],
        updatedFrom: ["2025-13-01"],
        "cf.bogus": ["1"],
        statusCategory: ["todo"],
        instanceId: ["42"],
        colour: ["red"],
        limit: ["10"],
        cursor: ["abc"],
      }).sort(),
    ).toEqual(["cf.bogus", "colour", "instanceId", "sort", "statusCategory", "updatedFrom"]);
    expect(fieldErrors({ createdFrom: ["2025-02-01"], createdTo: ["2025-01-01"] })).toEqual([
      "createdTo",
    ]);
    expect(
      fieldErrors({ status: [Array.from({ length: 101 }, (_, i) => `s${i}`).join(",")] }),
    ).toEqual(["status"]);
  });

  it("fingerprints equal queries equally, whatever the parameter order", () => {
    const a = parseIssueQuery({ status: ["B,A"], project: ["X"] });
    const b = parseIssueQuery({ project: ["x"], status: ["A", "B"] });
    expect(issueQueryFingerprint(a)).toBe(issueQueryFingerprint(b));
    expect(issueQueryFingerprint(a)).not.toBe(
      issueQueryFingerprint(parseIssueQuery({ status: ["A"], project: ["X"] })),
    );
  });
});

describe("customFieldCandidates", () => {
  it("covers text, options, arrays, users and versions, and numbers when numeric", () => {
    const docs = customFieldCandidates("customfield_1", "5").map((d) => JSON.parse(d));
    expect(docs).toEqual([
      { customfield_1: "5" },
      { customfield_1: ["5"] },
      { customfield_1: { value: "5" } },
      { customfield_1: [{ value: "5" }] },
      { customfield_1: { name: "5" } },
      { customfield_1: [{ name: "5" }] },
      { customfield_1: { accountId: "5" } },
      { customfield_1: [{ accountId: "5" }] },
      { customfield_1: 5 },
      { customfield_1: [5] },
    ]);
    expect(customFieldCandidates("customfield_1", "Atlas")).toHaveLength(8);
  });
});
