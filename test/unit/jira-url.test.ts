import { describe, expect, it } from "vitest";
import { checkJiraUrl } from "../../src/domain/jira-url";

const production = { environment: "production" as const, allowedHosts: ["jira.acme.com"] };
const development = { environment: "development" as const, allowedHosts: [] };

describe("checkJiraUrl", () => {
  it.each([
    ["https://acme.atlassian.net", "https://acme.atlassian.net"],
    ["https://acme.atlassian.net/", "https://acme.atlassian.net"],
    ["https://api.atlassian.com/ex/jira/abc", "https://api.atlassian.com/ex/jira/abc"],
    ["https://jira.acme.com", "https://jira.acme.com"],
  ])("allows %s in production", (raw, normalized) => {
    expect(checkJiraUrl(raw, production)).toEqual({ ok: true, url: normalized });
  });

  it.each([
    ["http://acme.atlassian.net", /https/],
    ["https://127.0.0.1", /private/],
    ["https://localhost", /private/],
    ["https://10.1.2.3", /private/],
    ["https://172.20.0.1", /private/],
    ["https://192.168.1.1", /private/],
    ["https://169.254.169.254", /private/],
    ["https://100.64.0.1", /private/],
    ["https://[::1]", /private/],
    ["https://[fd00::1]", /private/],
    ["https://8.8.8.8", /ALLOWED_JIRA_HOSTS/],
    ["https://atlassian.net.evil.com", /ALLOWED_JIRA_HOSTS/],
    ["https://user:pw@acme.atlassian.net", /credentials/],
    ["https://acme.atlassian.net/?x=1", /query/],
    ["ftp://acme.atlassian.net", /https/],
    ["nonsense", /valid absolute URL/],
  ])("refuses %s in production", (raw, reason) => {
    const result = checkJiraUrl(raw, production);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.reason).toMatch(reason);
  });

  it("allows http on loopback only in development", () => {
    expect(checkJiraUrl("http://127.0.0.1:9900/sites/a", development)).toEqual({
      ok: true,
      url: "http://127.0.0.1:9900/sites/a",
    });
    expect(checkJiraUrl("http://localhost:9900", development).ok).toBe(true);
    expect(checkJiraUrl("http://127.0.0.1:9900", production).ok).toBe(false);
    expect(checkJiraUrl("http://10.0.0.1", development).ok).toBe(false);
  });
});
