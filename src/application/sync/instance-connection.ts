import { eq } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import type { InstanceSettings } from "../../../drizzle/schema/jira-instances";
import { notFound } from "../../domain/errors";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database } from "../../infrastructure/db/database";
import type { SyncScope } from "../../infrastructure/db/sync-store";
import {
  apiBaseUrl,
  type InstanceSecrets,
  needsReseal,
  openSecrets,
  sealSecrets,
} from "../instances/credentials";

export interface InstanceConnection {
  apiBase: string;
  settings: InstanceSettings;
  secrets: InstanceSecrets;
}

/** The instance's API base and decrypted secrets; a deleted instance is not found. */
export async function loadConnection(
  deps: { db: Database; secretBox: SecretBox },
  scope: SyncScope,
): Promise<InstanceConnection> {
  const [row] = await deps.db.withTenant(scope.tenantId, (tx) =>
    tx.select().from(jiraInstances).where(eq(jiraInstances.id, scope.instanceId)),
  );
  if (!row) {
    throw notFound("Jira instance");
  }
  const secrets = await openSecrets(deps.secretBox, row);
  if (needsReseal(deps.secretBox, row)) {
    // The migration path for old ciphertexts: bound to the instance, under the current key.
    const sealed = await sealSecrets(deps.secretBox, scope.instanceId, secrets);
    await deps.db.withTenant(scope.tenantId, (tx) =>
      tx.update(jiraInstances).set(sealed).where(eq(jiraInstances.id, scope.instanceId)),
    );
  }
  return { apiBase: apiBaseUrl(row.baseUrl, row.settings), settings: row.settings, secrets };
}

/** Persists a rotated OAuth refresh token (the previous one no longer works). */
export async function saveRefreshToken(
  deps: { db: Database; secretBox: SecretBox },
  scope: SyncScope,
  secrets: Extract<InstanceSecrets, { type: "oauth2" }>,
  refreshToken: string,
): Promise<void> {
  const sealed = await sealSecrets(deps.secretBox, scope.instanceId, { ...secrets, refreshToken });
  await deps.db.withTenant(scope.tenantId, (tx) =>
    tx
      .update(jiraInstances)
      .set({ ...sealed, updatedAt: new Date() })
      .where(eq(jiraInstances.id, scope.instanceId)),
  );
}

/** The webhook secret of an instance, if it has one. */
export async function webhookSecretOf(
  deps: { db: Database; secretBox: SecretBox },
  scope: SyncScope,
): Promise<string | undefined> {
  const connection = await loadConnection(deps, scope);
  return connection.secrets.webhookSecret;
}
