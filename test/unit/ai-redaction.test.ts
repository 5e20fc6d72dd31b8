import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/domain/pii";

const people = [
  { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ana Silva" },
  { accountId: "712020:9f8e7d6c-5b4a-4392-a1b0-c9d8e7f6a5b4", displayName: "Seán O'Brien" },
];

describe("Redactor", () => {
  it("removes secrets and contact data for good", () => {
    const r = new Redactor([]);
    const cases: [string, string, string][] = [
      ["mail ana.silva@example.co.uk now", "ana.silva@example.co.uk", "[EMAIL]"],
      ["call +49 30 1234 5678 today", "+49 30 1234 5678", "[PHONE]"],
      ["or (555) 010-9999", "(555) 010-9999", "[PHONE]"],
      [
        "token ATATT3xFfGF0T4nZ9Qk2LmXvB7pR=A1",
        "ATATT3xFfGF0T4nZ9Qk2LmXvB7pR=A1",
        "[ATLASSIAN_TOKEN]",
      ],
      ["key ds_live_9f8e7d6c5b4a3928", "ds_live_9f8e7d6c5b4a3928", "[API_KEY]"],
      ["Authorization: Bearer abc.def-ghi_jkl", "abc.def-ghi_jkl", "Bearer [TOKEN]"],
      ["aws AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "[AWS_KEY]"],
      [
        "clone https://deploy:hunter2@git.example.com/x",
        "deploy:hunter2",
        "https://[CREDENTIALS]@git.example.com",
      ],
      ["password=correct-horse-battery", "correct-horse-battery", "password=[SECRET]"],
      ["openai sk-proj-abcdefghijklmnop1234", "sk-proj-abcdefghijklmnop1234", "[API_KEY]"],
    ];
    for (const [text, secret, marker] of cases) {
      const out = r.redact(text);
      expect(out, text).not.toContain(secret);
      expect(out, text).toContain(marker);
    }
  });

  it("leaves ordinary text, dates, versions and issue keys alone", () => {
    const r = new Redactor([]);
    const text = "Released 2.1.3 on 2025-06-30 for WEB-123; see https://example.com/runbook.";
    expect(r.redact(text)).toBe(text);
  });

  it("turns people into stable placeholders and maps them back", () => {
    const r = new Redactor(people);
    const out = r.redact(
      "@Ana Silva asked Seán O'Brien; ana silva agreed. Account 712020:9f8e7d6c-5b4a-4392-a1b0-c9d8e7f6a5b4.",
    );
    expect(out).toBe("PERSON_1 asked PERSON_2; PERSON_1 agreed. Account PERSON_2.");
    expect(r.restore("PERSON_2 owns it, PERSON_9 unknown")).toBe(
      "Seán O'Brien owns it, PERSON_9 unknown",
    );
    expect(r.restore("name = 'PERSON_2'", (n) => n.replaceAll("'", "''"))).toBe(
      "name = 'Seán O''Brien'",
    );
    expect(r.accountIdOf("PERSON_1")).toBe(people[0]?.accountId);
    // An unknown account id still becomes a placeholder.
    expect(r.redact("by 5d9f0123456789abcdef0123")).toBe("by PERSON_3");
  });
});
