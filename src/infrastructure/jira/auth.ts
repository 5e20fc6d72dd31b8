/**
 * Authentication for Jira Cloud: Basic (email + API token) or OAuth 2.0 (3LO) bearer tokens.
 *
 * OAuth tokens are owned by the caller (a Durable Object) through two callbacks; the owner
 * persists rotated refresh tokens and serializes refreshes. The client only asks: "give me the
 * current access token" and, after a 401, "refresh it" — at most once per request, and
 * concurrent 401s share a single refresh. Contract: once `refreshAccessToken()` resolves,
 * `getAccessToken()` returns the new token.
 */
import { JiraError } from "./errors";

export type JiraAuth =
  | { type: "basic"; email: string; apiToken: string }
  | {
      type: "oauth2";
      getAccessToken: () => Promise<string>;
      refreshAccessToken: () => Promise<string>;
    };

export interface Credential {
  header: string;
  /** Opaque marker of the token used, to tell whether another request already refreshed it. */
  token: string;
}

export interface AuthProvider {
  readonly canRefresh: boolean;
  credential(): Promise<Credential>;
  /** After a 401 with `failed`: refresh (or reuse a newer token). Returns false if impossible. */
  recover(failed: Credential): Promise<boolean>;
}

function base64Utf8(value: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(value)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

export function createAuthProvider(auth: JiraAuth): AuthProvider {
  if (auth.type === "basic") {
    const header = `Basic ${base64Utf8(`${auth.email}:${auth.apiToken}`)}`;
    const credential: Credential = { header, token: "basic" };
    return {
      canRefresh: false,
      credential: async () => credential,
      recover: async () => false,
    };
  }
  return new OAuthProvider(auth.getAccessToken, auth.refreshAccessToken);
}

class OAuthProvider implements AuthProvider {
  readonly canRefresh = true;
  private latest: string | undefined;
  private refreshing: Promise<string> | undefined;

  constructor(
    private readonly getAccessToken: () => Promise<string>,
    private readonly refreshAccessToken: () => Promise<string>,
  ) {}

  async credential(): Promise<Credential> {
    if (this.refreshing) {
      await this.refreshing.catch(() => undefined);
    }
    const token = await this.getAccessToken();
    this.latest = token;
    return { header: `Bearer ${token}`, token };
  }

  async recover(failed: Credential): Promise<boolean> {
    if (this.latest !== undefined && this.latest !== failed.token) {
      return true; // another request already got a newer token: retry with it
    }
    if (!this.refreshing) {
      // Set synchronously so that concurrent 401s join this single refresh.
      this.refreshing = (async () => {
        const current = await this.getAccessToken();
        return current !== failed.token ? current : await this.refreshAccessToken();
      })().finally(() => {
        this.refreshing = undefined;
      });
    }
    try {
      this.latest = await this.refreshing;
      return true;
    } catch (cause) {
      if (cause instanceof JiraError) {
        throw cause;
      }
      throw new JiraError({
        kind: "auth",
        status: 401,
        method: "POST",
        route: "oauth/refresh",
        detail: "access token refresh failed",
        cause,
      });
    }
  }
}
