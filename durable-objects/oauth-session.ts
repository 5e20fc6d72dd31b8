import type { InstanceSecrets } from "../src/application/instances/credentials";
import { refreshOAuthToken } from "../src/infrastructure/jira";
import type { SyncStateStore } from "./sync-state";

type OAuthSecrets = Extract<InstanceSecrets, { type: "oauth2" }>;

interface StoredToken {
  accessToken: string;
  expiresAt: number;
  refreshToken: string;
}

const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth 2.0 access tokens of one site. Atlassian rotates refresh tokens — each refresh makes the
 * previous one invalid — so refreshes are serialized here (one in flight, others await it) and the
 * new refresh token is persisted before the access token is used.
 */
export class OAuthSession {
  readonly #store: SyncStateStore;
  readonly #persist: (refreshToken: string) => Promise<void>;
  #inFlight: Promise<string> | undefined;

  constructor(store: SyncStateStore, persist: (refreshToken: string) => Promise<void>) {
    this.#store = store;
    this.#persist = persist;
  }

  async accessToken(secrets: OAuthSecrets, tokenUrl: string | undefined): Promise<string> {
    const token = this.#store.get<StoredToken>("oauth");
    if (token && token.expiresAt - EXPIRY_MARGIN_MS > Date.now()) {
      return token.accessToken;
    }
    return this.refresh(secrets, tokenUrl);
  }

  refresh(secrets: OAuthSecrets, tokenUrl: string | undefined): Promise<string> {
    this.#inFlight ??= this.#refresh(secrets, tokenUrl).finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #refresh(secrets: OAuthSecrets, tokenUrl: string | undefined): Promise<string> {
    // The newest refresh token we hold wins over the (possibly older) one in Postgres.
    const refreshToken =
      this.#store.get<StoredToken>("oauth")?.refreshToken ?? secrets.refreshToken;
    const tokens = await refreshOAuthToken({
      tokenUrl,
      clientId: secrets.clientId,
      clientSecret: secrets.clientSecret,
      refreshToken,
    });
    this.#store.set("oauth", {
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken,
    } satisfies StoredToken);
    await this.#persist(tokens.refreshToken);
    return tokens.accessToken;
  }
}
