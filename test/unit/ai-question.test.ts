import { describe, expect, it } from "vitest";
import { parseQuestion, type Vocabulary } from "../../src/domain/ai/question";
import { compileQuestion } from "../../src/application/ai/ask-builtin";

const vocabulary: Vocabulary = {
  projects: ["WEB", "OPS"],
  statuses: ["To Do", "In Progress", "Done"],
  types: ["Bug", "Task", "Story"],
  priorities: ["High", "Medium", "Low"],
  labels: ["backend", "urgent"],
  components: ["API", "UI"],
  people: [{ accountId: "acc-1", displayName: "Ana Silva" }],
};
const NOW = Date.UTC(2025, 5, 30);

const parse = (q: string) => {
  const result = parseQuestion(q, vocabulary, NOW);
  if (!result.ok) {
    throw new Error(result.reason);
  }
  return result.question;
};

describe("the built-in question grammar", () => {
  it("parses counts, groups and filters against the tenant's vocabulary", () => {
    const q = parse("How many high priority bugs in project WEB in progress by assignee?");
    expect(q.measure).toBe("count");
    expect(q.groupBy).toBe("assignee");
    expect(q.filters).toEqual(
      expect.arrayContaining([
        { kind: "equals", column: "priority", value: "High" },
        { kind: "equals", column: "issue_type", value: "Bug" },
        { kind: "equals", column: "project_key", value: "WEB" },
        { kind: "equals", column: "status", value: "In Progress" },
      ]),
    );
  });

  it("parses people, labels, components and dates", () => {
    const q = parse(
      "list open issues assigned to Ana Silva labelled urgent in component API created in the last 2 weeks",
    );
    expect(q.measure).toBe("list");
    expect(q.filters).toEqual(
      expect.arrayContaining([
        { kind: "assignee", accountId: "acc-1", name: "Ana Silva" },
        { kind: "label", value: "urgent" },
        { kind: "component", value: "API" },
        { kind: "category", done: false },
        { kind: "date", field: "created", from: "2025-06-16" },
      ]),
    );
  });

  it("knows flow figures", () => {
    expect(parse("average lead time for tasks resolved in 2025").measure).toBe("lead_time");
    expect(parse("median cycle time by component").groupBy).toBe("component");
    expect(parse("throughput in project OPS").measure).toBe("throughput");
  });

  it("refuses what it does not understand, naming the words", () => {
    const result = parseQuestion("How many issues mention bananas?", vocabulary, NOW);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining("mention bananas") });
    expect(parseQuestion("Why is the sky blue?", vocabulary, NOW).ok).toBe(false);
  });

  it("compiles to one parameterized query: values never enter the SQL text", () => {
    const q = parse("how many bugs assigned to Ana Silva labelled backend by month");
    const compiled = compileQuestion(q, "00000000-0000-0000-0000-000000000001");
    expect(compiled.text).not.toContain("Ana");
    expect(compiled.text).not.toContain("backend");
    expect([...compiled.params].sort()).toEqual(
      ["00000000-0000-0000-0000-000000000001", "Bug", "acc-1", "backend"].sort(),
    );
    expect(compiled.text).toMatch(/^select to_char\(date_trunc\('month', created\)/);
  });
});
