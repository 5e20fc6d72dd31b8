// Webhook delivery with Jira Cloud's observable behaviour: at-least-once (retries, optional
// duplicates), optionally out of order, HMAC-signed bodies, and a stable identifier per event.

import { createHmac, randomUUID } from "node:crypto";
import http from "node:http";
import { type Json, renderUserById } from "./entities.ts";
import { type FieldCatalogue, type IssueRenderCtx, renderComment } from "./fields.ts";
import type { SiteEvent } from "./mutations.ts";
import { createRng, deriveSeed, type Rng } from "./prng.ts";
import { renderWebhookIssue, renderWebhookIssueSummary } from "./render.ts";
import type { Store } from "./store.ts";

export interface ReceiverConfig {
  url: string;
  secret?: string;
  duplicateRate?: number;
  reorder?: boolean;
  delayMs?: number;
}

interface Receiver extends ReceiverConfig {
  id: number;
  held: Delivery[];
  holdTimer: NodeJS.Timeout | null;
}

interface Attempt {
  retry: number;
  status: number | null;
  error?: string;
  at: string;
}

export interface Delivery {
  identifier: string;
  receiverId: number;
  url: string;
  webhookEvent: string;
  issueKey: string | null;
  duplicate: boolean;
  status: "pending" | "delivered" | "failed";
  attempts: Attempt[];
  body: string;
}

const RETRY_BACKOFF_MS = [100, 250, 500];
const MAX_RETRIES = 3;
const REORDER_HOLD = 4;
const REORDER_WAIT_MS = 60;
const MAX_RECORDED = 20000;

/** Builds the v2 webhook JSON for an event, as a snapshot of the issue at this moment. */
export function buildWebhookPayload(
  event: SiteEvent,
  store: Store,
  catalogue: FieldCatalogue,
  now: number,
): Json {
  const ctx: IssueRenderCtx = { store, api: "2", includeEmail: false, commentLimit: 0 };
  const user = renderUserById(ctx, event.actorId);
  switch (event.type) {
    case "jira:issue_created":
      return {
        timestamp: now,
        webhookEvent: event.type,
        issue_event_type_name: "issue_created",
        user,
        issue: renderWebhookIssue(catalogue, store, event.issue),
        changelog: { id: event.historyId, items: event.items.map((i) => ({ ...i })) },
      };
    case "jira:issue_updated": {
      const body: Json = {
        timestamp: now,
        webhookEvent: event.type,
        issue_event_type_name: event.eventTypeName,
        user,
        issue: renderWebhookIssue(catalogue, store, event.issue),
      };
      if (event.history) {
        body.changelog = {
          id: event.history.id,
          items: event.history.items.map((i) => ({ ...i })),
        };
      }
      if (event.comment) {
        body.comment = renderComment(ctx, event.issue, event.comment);
      }
      return body;
    }
    case "jira:issue_deleted":
      return {
        timestamp: now,
        webhookEvent: event.type,
        issue_event_type_name: "issue_deleted",
        user,
        issue: renderWebhookIssue(catalogue, store, event.issue),
      };
    case "comment_created":
    case "comment_updated":
    case "comment_deleted":
      return {
        timestamp: now,
        webhookEvent: event.type,
        comment: renderComment(ctx, event.issue, event.comment),
        issue: renderWebhookIssueSummary(catalogue, store, event.issue),
      };
    case "issuelink_created":
    case "issuelink_deleted": {
      const type = store.linkTypeById.get(event.link.typeId);
      return {
        timestamp: now,
        webhookEvent: event.type,
        issueLink: {
          id: Number(event.link.id),
          sourceIssueId: Number(event.link.sourceId),
          destinationIssueId: Number(event.link.destinationId),
          issueLinkType: {
            id: Number(type?.id ?? 0),
            name: type?.name ?? "",
            outwardName: type?.outward ?? "",
            inwardName: type?.inward ?? "",
            isSubTaskLinkType: false,
            isSystemLinkType: false,
          },
          systemLink: false,
        },
      };
    }
  }
}

function eventIssueKey(event: SiteEvent): string | null {
  return "issue" in event ? event.issue.key : null;
}

export class Webhooks {
  private receivers: Receiver[] = [];
  private nextReceiverId = 1;
  readonly deliveries: Delivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly rng: Rng;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(seed: number) {
    this.rng = createRng(deriveSeed(seed, "webhooks"));
  }

  get active(): boolean {
    return this.receivers.length > 0;
  }

  register(cfg: ReceiverConfig): { id: number } {
    const r: Receiver = { ...cfg, id: this.nextReceiverId++, held: [], holdTimer: null };
    this.receivers.push(r);
    return { id: r.id };
  }

  unregisterAll(): void {
    for (const r of this.receivers) {
      this.releaseHeld(r);
    }
    this.receivers = [];
  }

  receiverList() {
    return this.receivers.map(({ id, url, duplicateRate, reorder, delayMs, secret }) => ({
      id,
      url,
      duplicateRate: duplicateRate ?? 0,
      reorder: reorder ?? false,
      delayMs: delayMs ?? 0,
      signed: Boolean(secret),
    }));
  }

  pendingCount(): number {
    return this.deliveries.filter((d) => d.status === "pending").length;
  }

  /** Resolves once nothing is pending (or after timeoutMs). */
  async idle(timeoutMs: number): Promise<void> {
    for (const r of this.receivers) {
      this.releaseHeld(r);
    }
    if (this.pendingCount() === 0) {
      return;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private checkIdle(): void {
    if (this.pendingCount() === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) {
        w();
      }
    }
  }

  dispatch(event: SiteEvent, payload: Json): void {
    if (this.closed) {
      return;
    }
    const body = JSON.stringify(payload);
    for (const r of this.receivers) {
      const identifier = randomUUID();
      const copies = r.duplicateRate && this.rng.chance(r.duplicateRate) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const d: Delivery = {
          identifier,
          receiverId: r.id,
          url: r.url,
          webhookEvent: event.type,
          issueKey: eventIssueKey(event),
          duplicate: c > 0,
          status: "pending",
          attempts: [],
          body,
        };
        this.deliveries.push(d);
        if (this.deliveries.length > MAX_RECORDED) {
          this.deliveries.splice(0, this.deliveries.length - MAX_RECORDED);
        }
        if (r.reorder) {
          this.hold(r, d);
        } else {
          this.schedule(r, d, (r.delayMs ?? 0) + (c > 0 ? this.rng.int(5, 40) : 0), 0);
        }
      }
    }
  }

  private hold(r: Receiver, d: Delivery): void {
    r.held.push(d);
    if (r.held.length >= REORDER_HOLD) {
      this.releaseHeld(r);
    } else if (!r.holdTimer) {
      r.holdTimer = setTimeout(() => this.releaseHeld(r), REORDER_WAIT_MS);
      this.timers.add(r.holdTimer);
    }
  }

  private releaseHeld(r: Receiver): void {
    if (r.holdTimer) {
      clearTimeout(r.holdTimer);
      this.timers.delete(r.holdTimer);
      r.holdTimer = null;
    }
    const batch = this.rng.shuffle(r.held.splice(0));
    batch.forEach((d, i) => {
      this.schedule(r, d, (r.delayMs ?? 0) + i * 5, 0);
    });
  }

  private schedule(r: Receiver, d: Delivery, delay: number, retry: number): void {
    if (this.closed) {
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.send(r, d, retry);
    }, delay);
    this.timers.add(t);
  }

  private send(r: Receiver, d: Delivery, retry: number): void {
    const headers: Record<string, string> = {
      "Content-Type": "application/json; charset=utf-8",
      "User-Agent": "Atlassian Webhook HTTP Client",
      "X-Atlassian-Webhook-Identifier": d.identifier,
      "Content-Length": String(Buffer.byteLength(d.body)),
    };
    if (retry > 0) {
      headers["X-Atlassian-Webhook-Retry"] = String(retry);
    }
    if (r.secret) {
      headers["X-Hub-Signature"] =
        `sha256=${createHmac("sha256", r.secret).update(d.body).digest("hex")}`;
    }
    const finish = (status: number | null, error?: string) => {
      const attempt: Attempt = { retry, status, at: new Date().toISOString() };
      if (error) {
        attempt.error = error;
      }
      d.attempts.push(attempt);
      if (status !== null && status >= 200 && status < 300) {
        d.status = "delivered";
      } else if (retry < MAX_RETRIES && !this.closed) {
        this.schedule(r, d, RETRY_BACKOFF_MS[retry] ?? 500, retry + 1);
        return;
      } else {
        d.status = "failed";
      }
      this.checkIdle();
    };
    let req: http.ClientRequest;
    try {
      req = http.request(d.url, { method: "POST", headers, agent: false, timeout: 5000 });
    } catch (e) {
      finish(null, e instanceof Error ? e.message : String(e));
      return;
    }
    this.inFlight.add(req);
    let done = false;
    const once = (status: number | null, error?: string) => {
      if (!done) {
        done = true;
        this.inFlight.delete(req);
        finish(status, error);
      }
    };
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => once(res.statusCode ?? null));
      res.on("error", (e) => once(res.statusCode ?? null, e.message));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) => once(null, e.message));
    req.end(d.body);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t);
    }
    this.timers.clear();
    for (const req of this.inFlight) {
      req.destroy();
    }
    this.inFlight.clear();
    for (const d of this.deliveries) {
      if (d.status === "pending") {
        d.status = "failed";
      }
    }
    this.checkIdle();
  }
}
