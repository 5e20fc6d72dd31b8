import { call } from "./http";
import { type SyncedSite, simGet, simSend } from "./sync";

export interface SimDelivery {
  identifier: string;
  webhookEvent: string;
  issueKey: string | null;
  /** The raw JSON body as Jira sent it. */
  body: string;
}

/** Makes the simulator record (not deliver) webhooks, signed with the instance's secret. */
export async function recordWebhooks(synced: SyncedSite): Promise<void> {
  await simSend(synced, "POST", "/webhooks", {
    url: "http://127.0.0.1:9/unreachable",
    secret: synced.webhookSecret,
  });
}

export async function deliveries(synced: SyncedSite): Promise<SimDelivery[]> {
  const log = await simGet<{ deliveries: (Omit<SimDelivery, "body"> & { payload: unknown })[] }>(
    synced,
    "/webhooks/deliveries?body=true",
  );
  return log.deliveries.map(({ payload, ...rest }) => ({ ...rest, body: JSON.stringify(payload) }));
}

export async function sign(secret: string, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Posts a delivery to our webhook endpoint as Jira would. */
export async function deliver(
  synced: SyncedSite,
  delivery: { identifier: string; body: string },
  options: { secret?: string } = {},
) {
  return call("POST", `/webhooks/jira/${synced.instanceId}`, {
    rawBody: delivery.body,
    headers: {
      "content-type": "application/json",
      "x-atlassian-webhook-identifier": delivery.identifier,
      "x-hub-signature": await sign(options.secret ?? synced.webhookSecret, delivery.body),
    },
  });
}
