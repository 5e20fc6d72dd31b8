import type { InstanceSettings } from "../../../drizzle/schema/jira-instances";
import { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { JiraAuth } from "../../infrastructure/jira";

/** What is encrypted at rest for an instance. Never returned, logged or put in an error. */
export type InstanceSecrets =
  | { type: "basic"; email: string; apiToken: string; webhookSecret?: string }
  | {
      type: "oauth2";
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      webhookSecret?: string;
    };

/** Sealed with the instance id as associated data: the ciphertext is useless on another row. */
export async function sealSecrets(box: SecretBox, instanceId: string, secrets: InstanceSecrets) {
  const sealed = await box.seal(JSON.stringify(secrets), instanceId);
  return { secretsCiphertext: sealed.ciphertext, secretsKeyId: sealed.keyId };
}

export async function openSecrets(
  box: SecretBox,
  row: { id: string; secretsCiphertext: string; secretsKeyId: string },
): Promise<InstanceSecrets> {
  return JSON.parse(
    await box.open({ ciphertext: row.secretsCiphertext, keyId: row.secretsKeyId }, row.id),
  ) as InstanceSecrets;
}

/** Rows sealed before binding existed, or under a previous key: re-seal them on read. */
export function needsReseal(
  box: SecretBox,
  row: { secretsCiphertext: string; secretsKeyId: string },
): boolean {
  return (
    SecretBox.isUnbound({ ciphertext: row.secretsCiphertext, keyId: row.secretsKeyId }) ||
    row.secretsKeyId !== box.currentKeyId
  );
}

/** A new webhook secret: 32 random bytes, hex (what Jira's webhook admin page accepts). */
export function generateWebhookSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Where REST calls for an instance go: the site for basic auth, Atlassian's API gateway for OAuth. */
export function apiBaseUrl(baseUrl: string, settings: InstanceSettings): string {
  if (settings.apiBaseUrl) {
    return settings.apiBaseUrl;
  }
  return settings.cloudId ? `https://api.atlassian.com/ex/jira/${settings.cloudId}` : baseUrl;
}

/** Basic auth for the Jira client; OAuth access tokens are owned by the instance's Durable Object. */
export function basicAuth(secrets: Extract<InstanceSecrets, { type: "basic" }>): JiraAuth {
  return { type: "basic", email: secrets.email, apiToken: secrets.apiToken };
}
