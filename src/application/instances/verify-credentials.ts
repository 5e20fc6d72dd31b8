import { DomainError } from "../../domain/errors";
import { createJiraClient, isJiraError, refreshOAuthToken } from "../../infrastructure/jira";
import type { InstanceSecrets } from "./credentials";

/**
 * Checks credentials against Jira's /myself before they are stored. For OAuth this refreshes
 * the token, which rotates the refresh token: the returned secrets carry the new one.
 */
export async function verifyCredentials(
  apiBase: string,
  secrets: InstanceSecrets,
  tokenUrl: string | undefined,
): Promise<InstanceSecrets> {
  const fast = { timeoutMs: 10_000, maxAttempts: 2 };
  try {
    if (secrets.type === "basic") {
      await createJiraClient({
        baseUrl: apiBase,
        auth: { type: "basic", email: secrets.email, apiToken: secrets.apiToken },
        ...fast,
      }).myself();
      return secrets;
    }
    const tokens = await refreshOAuthToken({
      tokenUrl,
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken,
    });
    await createJiraClient({
      baseUrl: apiBase,
      auth: {
        type: "oauth2",
        getAccessToken: async () => tokens.accessToken,
        refreshAccessToken: async () => tokens.accessToken,
      },
      ...fast,
    }).myself();
    return { ...secrets, refreshToken: tokens.refreshToken };
  } catch (error) {
    const reason = isJiraError(error)
      ? error.errorMessages.join(" ") || `Jira answered ${error.status || "nothing"}`
      : "Jira could not be reached";
    throw new DomainError("unprocessable", `Jira refused the credentials: ${reason}`, [
      { path: "auth", message: reason },
    ]);
  }
}
