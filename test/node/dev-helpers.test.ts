/** The pure helpers behind `npm run dev`: cron matching, env files, generated secrets. */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileCron, readCronTriggers } from "../../scripts/lib/cron-ticker.ts";
import {
  ensureSecret,
  generateAdminToken,
  generateEncryptionKey,
  parseEnvFile,
  settingProblems,
  writeEnvFile,
} from "../../scripts/lib/dev-env.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "ds-dev-helpers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (iso: string) => new Date(iso);

describe("cron", () => {
  it("matches the project's triggers (UTC)", () => {
    const everyFive = compileCron("*/5 * * * *");
    const hourly = compileCron("0 * * * *");
    expect(everyFive(at("2026-01-01T10:05:00Z"))).toBe(true);
    expect(everyFive(at("2026-01-01T10:07:00Z"))).toBe(false);
    expect(hourly(at("2026-01-01T10:00:30Z"))).toBe(true);
    expect(hourly(at("2026-01-01T10:05:00Z"))).toBe(false);
  });

  it("supports lists, ranges, steps and day-of-week", () => {
    const weekdayMornings = compileCron("30 8-10/2 * * 1-5");
    expect(weekdayMornings(at("2026-01-05T08:30:00Z"))).toBe(true); // Monday
    expect(weekdayMornings(at("2026-01-05T09:30:00Z"))).toBe(false);
    expect(weekdayMornings(at("2026-01-04T08:30:00Z"))).toBe(false); // Sunday
    expect(compileCron("0 0 * * 7")(at("2026-01-04T00:00:00Z"))).toBe(true); // 7 = Sunday
    expect(compileCron("0,15 * 1 * *")(at("2026-02-01T03:15:00Z"))).toBe(true);
    expect(() => compileCron("* * *")).toThrow(/5 fields/);
    expect(() => compileCron("61 * * * *")).toThrow(/out of range/);
  });

  it("reads the crons of wrangler.toml", () => {
    expect(readCronTriggers(path.resolve("wrangler.toml"))).toEqual(["*/5 * * * *", "0 * * * *"]);
  });
});

describe("env files", () => {
  it("parses dotenv-style lines", () => {
    const vars = parseEnvFile(
      [
        "# comment",
        "A=1",
        "export B = two words ",
        'C="line1\\nline2"',
        "D='single $x'",
        "E=value # trailing comment",
        "not a line",
        "",
      ].join("\n"),
    );
    expect(vars).toEqual({
      A: "1",
      B: "two words",
      C: "line1\nline2",
      D: "single $x",
      E: "value",
    });
  });

  it("writes a 0600 file that escapes $ for wrangler's dotenv-expand", () => {
    const file = path.join(dir, "dev.env");
    writeEnvFile(file, { URL: "postgres://u:pa$$@h/db", Q: "it's" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("URL='postgres://u:pa\\$\\$@h/db'");
    expect(text).toContain(`Q="it's"`);
  });
});

describe("secrets", () => {
  it("prefers env, else keeps a generated value in a 0600 file", () => {
    const file = path.join(dir, "admin-token");
    expect(
      ensureSecret({ ADMIN_TOKEN: "from-env" }, "ADMIN_TOKEN", file, generateAdminToken),
    ).toMatchObject({
      value: "from-env",
      source: "env",
    });
    const first = ensureSecret({}, "ADMIN_TOKEN", file, generateAdminToken);
    expect(first.created).toBe(true);
    expect(first.value).toMatch(/^dsadm_[A-Za-z0-9_-]{43}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = ensureSecret({}, "ADMIN_TOKEN", file, generateAdminToken);
    expect(second).toMatchObject({ value: first.value, created: false });
  });

  it("generates a 32-byte base64 encryption key", () => {
    expect(Buffer.from(generateEncryptionKey(), "base64")).toHaveLength(32);
  });
});

describe("settings npm run dev refuses before starting", () => {
  it("names each unusable setting", () => {
    expect(
      settingProblems({
        ADMIN_TOKEN: "newcomer-admin",
        ENCRYPTION_KEY: "short",
        PORT: "-1",
        LOG_LEVEL: "loud",
        UPSTASH_REDIS_REST_URL: "https://example.upstash.io",
      }),
    ).toEqual([
      "ADMIN_TOKEN must be at least 16 characters (it has 14)",
      "ENCRYPTION_KEY must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)",
      'PORT must be a positive number (got "-1")',
      'LOG_LEVEL must be debug, info, warn or error (got "loud")',
      "UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN go together: set both or neither",
    ]);
    expect(
      settingProblems({
        ADMIN_TOKEN: generateAdminToken(),
        ENCRYPTION_KEY: generateEncryptionKey(),
      }),
    ).toEqual([]);
  });
});
