// Credentials of one site: Basic email:apiToken, and OAuth 2.0 (3LO) tokens with Atlassian's
// rotating refresh tokens — a refresh token works exactly once — and expiring access tokens.

import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Rng } from "./prng.ts";

const SCOPE = "read:jira-work write:jira-work read:jira-user manage:jira-webhook offline_access";

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export class Auth {
  readonly email: string;
  readonly apiToken: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly cloudId: string;
  readonly initialRefreshToken: string;
  private readonly refreshTokens = new Set<string>();
  private readonly accessTokens = new Map<string, number>();

  private readonly accessTtlSeconds: number;

  constructor(rng: Rng, email: string, accessTtlSeconds = 3600) {
    this.accessTtlSeconds = accessTtlSeconds;
    this.email = email;
    this.apiToken = `ATATT3xFfGF0${rng.hex(48)}`;
    this.clientId = rng.hex(32);
    this.clientSecret = `ATOA${rng.hex(60)}`;
    this.cloudId = `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-8${rng.hex(3)}-${rng.hex(12)}`;
    this.initialRefreshToken = `eyJraWQiOiJzaW0ifQ.${rng.hex(64)}`;
    this.refreshTokens.add(this.initialRefreshToken);
  }

  /** True when the request carries valid Basic or unexpired Bearer credentials. */
  check(headers: IncomingHttpHeaders, now: number): boolean {
    const header = headers.authorization ?? "";
    if (header.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
      const idx = decoded.indexOf(":");
      return (
        idx > 0 && decoded.slice(0, idx) === this.email && decoded.slice(idx + 1) === this.apiToken
      );
    }
    if (header.startsWith("Bearer ")) {
      const exp = this.accessTokens.get(header.slice(7).trim());
      return exp !== undefined && exp > now;
    }
    return false;
  }

  /** POST /oauth/token (grant_type=refresh_token), with Atlassian's error bodies. */
  token(params: Record<string, unknown>, now: number): TokenResult {
    const grant = String(params.grant_type ?? "");
    if (grant !== "refresh_token") {
      return {
        status: 400,
        body: {
          error: "unsupported_grant_type",
          error_description: `Unsupported grant type: ${grant}`,
        },
      };
    }
    if (params.client_id !== this.clientId || params.client_secret !== this.clientSecret) {
      return { status: 401, body: { error: "access_denied", error_description: "Unauthorized" } };
    }
    const presented = String(params.refresh_token ?? "");
    if (!this.refreshTokens.has(presented)) {
      return {
        status: 403,
        body: { error: "invalid_grant", error_description: "Unknown or invalid refresh token." },
      };
    }
    // Rotation: the presented token is spent; only the new one works from now on.
    this.refreshTokens.delete(presented);
    const refresh = `eyJraWQiOiJzaW0ifQ.${randomBytes(32).toString("hex")}`;
    this.refreshTokens.add(refresh);
    const access = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(32).toString("base64url")}`;
    this.accessTokens.set(access, now + this.accessTtlSeconds * 1000);
    return {
      status: 200,
      body: {
        access_token: access,
        refresh_token: refresh,
        expires_in: this.accessTtlSeconds,
        token_type: "Bearer",
        scope: SCOPE,
      },
    };
  }

  /** Control API: make every issued access token expired. */
  expireAccessTokens(): number {
    const n = this.accessTokens.size;
    this.accessTokens.clear();
    return n;
  }

  static parseForm(body: Buffer, contentType: string | undefined): Record<string, unknown> {
    const text = body.toString("utf8");
    if ((contentType ?? "").includes("application/json")) {
      try {
        const parsed: unknown = JSON.parse(text);
        return typeof parsed === "object" && parsed !== null
          ? (parsed as Record<string, unknown>)
          : {};
      } catch {
        return {};
      }
    }
    return Object.fromEntries(new URLSearchParams(text));
  }
}
