import { jiraInstances } from "../../../drizzle/schema";
import type { InstanceSettings } from "../../../drizzle/schema/jira-instances";
import { invalid } from "../../domain/errors";
import { checkJiraUrl, type JiraUrlPolicy } from "../../domain/jira-url";
import type { SecretBox } from "../../infrastructure/crypto/secret-box";
import type { Database } from "../../infrastructure/db/database";
import { recordAudit } from "../audit/record-audit";
import {
  apiBaseUrl,
  generateWebhookSecret,
  type InstanceSecrets,
  sealSecrets,
} from "./credentials";
import { instanceView } from "./instance-view";
import { verifyCredentials } from "./verify-credentials";

export type CreateInstanceAuth =
  | { type: "basic"; email: string; apiToken: string }
  | {
      type: "oauth2";
      clientId: string;
      clientSecret: string;
      refreshToken: string;
      cloudId: string;
      apiBaseUrl?: string;
      tokenUrl?: string;
    };

export interface CreateInstanceInput {
  tenantId: string;
  actor: string;
  requestId: string;
  origin: string;
  name: string;
  baseUrl: string;
  auth: CreateInstanceAuth;
  webhookSecret?: string;
  verify: boolean;
}

export interface CreateInstanceDeps {
  db: Database;
  secretBox: SecretBox;
  urlPolicy: JiraUrlPolicy;
  verify?: typeof verifyCredentials;
}

function safeUrl(path: string, raw: string, policy: JiraUrlPolicy): string {
  const check = checkJiraUrl(raw, policy);
  if (!check.ok) {
    throw invalid(`The ${path} ${check.reason}.`, [{ path, message: check.reason }]);
  }
  return check.url;
}

export async function createInstance(deps: CreateInstanceDeps, input: CreateInstanceInput) {
  const baseUrl = safeUrl("baseUrl", input.baseUrl, deps.urlPolicy);
  const settings: InstanceSettings = {};
  let secrets: InstanceSecrets;
  if (input.auth.type === "basic") {
    secrets = { type: "basic", email: input.auth.email, apiToken: input.auth.apiToken };
  } else {
    settings.cloudId = input.auth.cloudId;
    if (input.auth.apiBaseUrl) {
      settings.apiBaseUrl = safeUrl("auth.apiBaseUrl", input.auth.apiBaseUrl, deps.urlPolicy);
    }
    if (input.auth.tokenUrl) {
      settings.tokenUrl = safeUrl("auth.tokenUrl", input.auth.tokenUrl, deps.urlPolicy);
    }
    const { clientId, clientSecret, refreshToken } = input.auth;
    secrets = { type: "oauth2", clientId, clientSecret, refreshToken };
  }
  // Every instance has a webhook secret: an unsigned delivery could come from anyone.
  const webhookSecret = input.webhookSecret || generateWebhookSecret();
  secrets.webhookSecret = webhookSecret;
  if (input.verify) {
    secrets = await (deps.verify ?? verifyCredentials)(
      apiBaseUrl(baseUrl, settings),
      secrets,
      settings.tokenUrl,
    );
  }
  // The id is chosen here so the secrets can be sealed bound to it.
  const id = crypto.randomUUID();
  const sealed = await sealSecrets(deps.secretBox, id, secrets);
  return deps.db.withTenant(input.tenantId, async (tx) => {
    const [row] = await tx
      .insert(jiraInstances)
      .values({
        id,
        tenantId: input.tenantId,
        name: input.name,
        baseUrl,
        authType: input.auth.type,
        settings,
        hasWebhookSecret: true,
        ...sealed,
      })
      .returning();
    if (!row) {
      throw new Error("instance insert returned no row");
    }
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "instance.create",
      targetType: "jira_instance",
      targetId: row.id,
      outcome: "success",
      status: 201,
      requestId: input.requestId,
      details: { baseUrl, authType: row.authType, verified: input.verify },
    });
    // The secret is shown in this answer only (and when rotated); it is never stored elsewhere.
    return { instance: instanceView(row, input.origin), webhookSecret };
  });
}
