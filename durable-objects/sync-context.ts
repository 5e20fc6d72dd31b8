import type { SyncContext, SyncCounter } from "../src/application/sync/context";
import { emailHashKey } from "../src/infrastructure/crypto/email-hash-key";
import { loadConnection } from "../src/application/sync/instance-connection";
import type { SyncScope } from "../src/infrastructure/db/sync-store";
import { createJiraClient, type JiraClientEvent, Pacer } from "../src/infrastructure/jira";
import type { Services } from "../src/infrastructure/services";
import type { OAuthSession } from "./oauth-session";
import type { SyncStateStore } from "./sync-state";

/** What the Durable Object keeps across units of work (storage, tokens, the site's pace). */
export interface InstanceResources {
  store: SyncStateStore;
  oauth: OAuthSession;
  pacer(requestsPerSecond: number): Pacer;
}

/** One Pacer per object: the site's budget is shared by every job, webhook and write. */
export function pacerHolder(): (requestsPerSecond: number) => Pacer {
  let pacer: Pacer | undefined;
  return (requestsPerSecond) => {
    pacer ??= new Pacer({
      budget: { requests: requestsPerSecond, perSeconds: 1 },
      maxConcurrency: 4,
    });
    return pacer;
  };
}

function countJiraEvent(store: SyncStateStore, event: JiraClientEvent): void {
  if (event.type === "retry") {
    store.count("retries");
    return;
  }
  store.count("jiraRequests");
  store.count(`jiraStatus.${event.status}`);
  if (event.status === 429) {
    store.count("jiraRateLimited");
  }
}

/** A sync context (database, Jira client, counters) for one unit of work. */
export async function buildSyncContext(
  services: Services,
  resources: InstanceResources,
  scope: SyncScope,
): Promise<SyncContext> {
  const { store, oauth } = resources;
  const connection = await loadConnection(
    { db: services.db, secretBox: await services.secretBox() },
    scope,
  );
  const { secrets, settings } = connection;
  const jira = createJiraClient({
    baseUrl: connection.apiBase,
    pacer: resources.pacer(services.config.jiraRequestsPerSecond),
    auth:
      secrets.type === "basic"
        ? { type: "basic", email: secrets.email, apiToken: secrets.apiToken }
        : {
            type: "oauth2",
            getAccessToken: () => oauth.accessToken(secrets, settings.tokenUrl),
            refreshAccessToken: () => oauth.refresh(secrets, settings.tokenUrl),
          },
    onEvent: (event) => countJiraEvent(store, event),
  });
  return {
    scope,
    db: services.db,
    jira,
    timeZone: store.get<string>("timeZone") ?? "UTC",
    emailKey: await emailHashKey(
      services.config.emailHashKey ?? services.config.encryptionKey,
      scope.tenantId,
    ),
    logger: services.logger,
    count: (counter: SyncCounter, by = 1) => store.count(counter, by),
  };
}
