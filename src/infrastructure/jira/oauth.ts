/**
 * OAuth 2.0 (3LO) refresh for Atlassian. Refresh tokens ROTATE: each successful refresh returns a
 * new refresh token and invalidates the one used. The caller must serialize refreshes per
 * installation and persist the new refresh token before using the new access token. No retries
 * here: a lost response may already have rotated the token, so the owner decides.
 */
import { classifyStatus, JiraError, parseErrorBody } from "./errors";
import { oauthTokenSchema } from "./schemas";
import { validate } from "./validate";

export const ATLASSIAN_TOKEN_URL = "https://auth.atlassian.com/oauth/token";

export interface RefreshOAuthTokenInput {
  tokenUrl?: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface OAuthTokens {
  accessToken: string;
  /** The rotated refresh token: persist it, the previous one is no longer valid. */
  refreshToken: string;
  /** Expiry of the access token, epoch milliseconds. */
  expiresAt: number;
  scope?: string;
}

export async function refreshOAuthToken(input: RefreshOAuthTokenInput): Promise<OAuthTokens> {
  const doFetch = input.fetch ?? ((url, init) => fetch(url, init));
  const now = input.now ?? Date.now;
  const route = "oauth/token";
  let response: Response;
  let text: string;
  try {
    response = await doFetch(input.tokenUrl ?? ATLASSIAN_TOKEN_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({
        grant_type: "refresh_token",
        client_id: input.clientId,
        client_secret: input.clientSecret,
        refresh_token: input.refreshToken,
      }),
      signal: AbortSignal.timeout(input.timeoutMs ?? 15_000),
      // The body holds the client secret and refresh token: never replay it to another place.
      redirect: "manual",
    });
    text = await response.text();
  } catch (cause) {
    throw new JiraError({
      kind: "retryable",
      status: 0,
      method: "POST",
      route,
      detail: "token endpoint unreachable",
      cause,
    });
  }
  if (!response.ok) {
    const { errorMessages } = parseErrorBody(text);
    // invalid_grant and friends come back as 400/401/403: the refresh token is unusable.
    const kind =
      response.status >= 400 && response.status < 429 ? "auth" : classifyStatus(response.status);
    throw new JiraError({ kind, status: response.status, method: "POST", route, errorMessages });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new JiraError({
      kind: "invalid",
      status: response.status,
      method: "POST",
      route,
      detail: "token response is not JSON",
      cause,
    });
  }
  const token = validate(oauthTokenSchema, body, { method: "POST", route });
  return {
    accessToken: token.access_token,
    refreshToken: token.refresh_token ?? input.refreshToken,
    expiresAt: now() + token.expires_in * 1000,
    ...(token.scope ? { scope: token.scope } : {}),
  };
}
