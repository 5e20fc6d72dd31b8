import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors";
import { dateFunction, parseJqlDate } from "../../src/domain/jql-query/dates";
import { parseJql } from "../../src/domain/jql-query/parser";
import { textQuery } from "../../src/domain/jql-query/text-search";

const errorOf = (jql: string): DomainError => {
  try {
    parseJql(jql);
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error(`parsed: ${jql}`);
};

describe("parseJql", () => {
  it("binds NOT tighter than AND, AND tighter than OR; keywords in any case", () => {
    const { where } = parseJql("a = 1 or NOT b = 2 AnD c in (3, '4')");
    expect(where).toMatchObject({
      kind: "or",
      children: [
        { kind: "clause", field: { name: "a" }, op: "=" },
        {
          kind: "and",
          children: [
            { kind: "not", child: { kind: "clause", field: { name: "b" } } },
            {
              kind: "clause",
              op: "in",
              operand: { kind: "list", items: [{ value: "3" }, { value: "4" }] },
            },
          ],
        },
      ],
    });
  });

  it("reads quoted names, escapes, cf[id], EMPTY, functions and ORDER BY", () => {
    const text =
      '"Story Points" is not null && cf[10010] ~ "a \\"b\\" \\u0041" || assignee = currentUser() order by key desc, "Story Points"';
    const q = parseJql(text);
    expect(q.where).toMatchObject({
      kind: "or",
      children: [
        {
          kind: "and",
          children: [
            { field: { name: "Story Points" }, op: "is not", operand: { kind: "empty" } },
            {
              field: { name: "cf[10010]", customId: "10010" },
              op: "~",
              operand: { value: 'a "b" A' },
            },
          ],
        },
        { operand: { kind: "function", name: "currentUser", args: [] } },
      ],
    });
    expect(q.orderBy).toEqual([
      { field: { name: "key", pos: text.indexOf("key desc") }, descending: true },
      { field: { name: "Story Points", pos: text.lastIndexOf('"Story') }, descending: null },
    ]);
  });

  it("reads WAS and CHANGED with their predicates", () => {
    const q = parseJql(
      'status was not in (Done, "In Progress") BY bob DURING ("2025-01-01", now()) and status changed from a to b after -2w',
    );
    expect(q.where).toMatchObject({
      kind: "and",
      children: [
        {
          op: "was not in",
          history: [{ word: "by" }, { word: "during", operand: { kind: "list" } }],
        },
        {
          op: "changed",
          history: [{ word: "from" }, { word: "to" }, { word: "after", operand: { value: "-2w" } }],
        },
      ],
    });
  });

  it("reports syntax errors as Jira does, with the position, as invalid_jql", () => {
    const error = errorOf("project = PROJ status = Done");
    expect(error.problemCode).toBe("invalid_jql");
    expect(error.message).toBe(
      "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 16)",
    );
    expect(errorOf("status = ").message).toContain("reached the end of the query");
    expect(errorOf("status = a#b").message).toContain(
      "The character '#' is a reserved JQL character",
    );
    expect(errorOf("status in Done").message).toContain("Expecting '('");
    expect(errorOf("status = and").message).toContain("You must surround 'and' in quotation marks");
    expect(errorOf("(status = a").message).toContain("Expecting ')'");
    expect(errorOf("status = 'open").message).toContain("has not been completed");
    expect(errorOf("status foo bar").message).toContain("Expecting operator but got 'foo'");
  });
});

describe("JQL dates", () => {
  const now = Date.parse("2025-03-15T10:30:00Z"); // a Saturday

  it("reads literals in the zone and periods from now", () => {
    expect(parseJqlDate("2025-01-31", "Europe/Prague", now)?.at.toISOString()).toBe(
      "2025-01-30T23:00:00.000Z",
    );
    expect(parseJqlDate("2025/07/01 08:15", "America/New_York", now)?.at.toISOString()).toBe(
      "2025-07-01T12:15:00.000Z",
    );
    expect(parseJqlDate("-1w 2d", "UTC", now)?.at.toISOString()).toBe("2025-03-06T10:30:00.000Z");
    expect(parseJqlDate("2025-02-30", "UTC", now)).toBeNull();
    expect(parseJqlDate("yesterday", "UTC", now)).toBeNull();
  });

  it("computes startOf/endOf with increments in the zone", () => {
    const iso = (name: string, args: string[] = [], zone = "UTC") =>
      (dateFunction(name, args, zone, now) as Date).toISOString();
    expect(iso("startOfDay")).toBe("2025-03-15T00:00:00.000Z");
    // 19:30 on the 15th in Tokyo: the day before starts on the 14th, 00:00 JST.
    expect(iso("startOfDay", ["-1"], "Asia/Tokyo")).toBe("2025-03-13T15:00:00.000Z");
    expect(iso("endOfDay")).toBe("2025-03-15T23:59:59.999Z");
    expect(iso("startOfWeek")).toBe("2025-03-09T00:00:00.000Z");
    expect(iso("startOfMonth", ["-1"])).toBe("2025-02-01T00:00:00.000Z");
    expect(iso("endOfMonth")).toBe("2025-03-31T23:59:59.999Z");
    expect(iso("startOfYear", ["+1M"])).toBe("2025-02-01T00:00:00.000Z");
    expect(iso("now")).toBe("2025-03-15T10:30:00.000Z");
    expect(dateFunction("startOfDay", ["soon"], "UTC", now)).toContain("is invalid");
    expect(dateFunction("nope", [], "UTC", now)).toBeUndefined();
  });
});

describe("textQuery", () => {
  it("builds a safe tsquery from words, phrases, prefixes, OR and exclusions", () => {
    expect(textQuery('login "time out" fail*', "A")).toBe(
      "'login':A & ('time':A <-> 'out':A) & 'fail':*A",
    );
    expect(textQuery("a' | b:* & !c", "ABC")).toBe("'a' & 'b':* & !'c'");
    expect(textQuery("crash OR hang -android", "ABC")).toBe("('crash') | ('hang' & !'android')");
    expect(textQuery("!!! ???", "A")).toBeNull();
  });
});
