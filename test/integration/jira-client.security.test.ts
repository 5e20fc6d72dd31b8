/** Credentials never follow a redirect: a 3xx from Jira (or its token endpoint) is an error. */
import { describe, expect, it } from "vitest";
import { createJiraClient, JiraError, refreshOAuthToken } from "../../src/infrastructure/jira";

function recordingFetch(location: string) {
  const seen: { url: string; redirect: string | undefined }[] = [];
  const fake = async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), redirect: init?.redirect });
    // What fetch hands back for a redirect it was told not to follow.
    if (init?.redirect === "manual") {
      return new Response(null, { status: 302, headers: { Location: location } });
    }
    // Following it would send the credentials to the attacker's host.
    return fetch(location, init);
  };
  return { seen, fake: fake as typeof fetch };
}

describe("Jira requests and redirects", () => {
  it("a 302 from Jira is an error and is not followed with the Authorization header", async () => {
    const { seen, fake } = recordingFetch("http://127.0.0.1:9/steal");
    const client = createJiraClient({
      baseUrl: "https://acme.atlassian.net",
      auth: { type: "basic", email: "bot@example.com", apiToken: "SECRET-TOKEN" },
      fetch: fake,
      sleep: async () => {},
      random: () => 0.5,
    });
    const error = await client.myself().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraError);
    expect((error as JiraError).status).toBe(302);
    expect(seen).toEqual([
      { url: "https://acme.atlassian.net/rest/api/3/myself", redirect: "manual" },
    ]);
  });

  it("the OAuth token endpoint's redirect is not followed with the client secret", async () => {
    const { seen, fake } = recordingFetch("http://127.0.0.1:9/steal");
    const error = await refreshOAuthToken({
      clientId: "id",
      clientSecret: "SECRET",
      refreshToken: "refresh",
      tokenUrl: "https://auth.atlassian.com/oauth/token",
      fetch: fake,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraError);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.redirect).toBe("manual");
  });
});
