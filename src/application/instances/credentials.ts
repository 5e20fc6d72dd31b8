import type { InstanceSettings } from "../../../drizzle/schema/jira-instances";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
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

export async function sealSecrets(box: SecretBox, secrets: InstanceSecrets) {
  const sealed = await box.seal(JSON.stringify(secrets));
  return { secretsCiphertext: sealed.ciphertext, secretsKeyId: sealed.keyId };
}

export async function openSecrets(
  box: SecretBox,
  row: { secretsCiphertext: string; secretsKeyId: string },
): Promise<InstanceSecrets> {
  return JSON.parse(
    await box.open({ ciphertext: row.secretsCiphertext, keyId: row.secretsKeyId }),
  ) as InstanceSecrets;
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
