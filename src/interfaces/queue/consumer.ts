import { deadLetters } from "../../../drizzle/schema";
import { type Env, loadConfig } from "../../env";
import { createLogger } from "../../infrastructure/observability/logger";
import { createServices, type Services } from "../../infrastructure/services";
import { retryDelaySeconds } from "./backoff";
import { QUEUES, QueueMessage, type WebhookEventMessage } from "./messages";

/** Entry point for every queue: deliveries and jobs go to their instance's Durable Object. */
export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Env,
  ctx: ExecutionContext,
): Promise<void> {
  const services = createServices(
    loadConfig(env),
    createLogger({ service: "queue", queue: batch.queue }),
    env,
  );
  try {
    if (batch.queue === QUEUES.eventsDlq || batch.queue === QUEUES.jobsDlq) {
      await recordDeadLetters(batch, services);
      return;
    }
    await dispatch(batch, env, services);
  } finally {
    ctx.waitUntil(services.dispose());
  }
}

const retry = (message: Message<unknown>, services: Services, error: unknown) => {
  services.logger.warn("queue message failed; retrying", {
    messageId: message.id,
    attempts: message.attempts,
    error,
  });
  services.metrics.inc("queue_retries_total", "Queue messages retried.");
  message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
};

/** Webhook deliveries are handed over per instance in one call; jobs one by one. */
async function dispatch(batch: MessageBatch<unknown>, env: Env, services: Services) {
  const deliveries = new Map<
    string,
    { messages: Message<unknown>[]; events: WebhookEventMessage[] }
  >();
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    if (!parsed.success) {
      // A malformed message can never succeed: retrying would only delay the rest of the batch.
      services.logger.error("dropping malformed queue message", { messageId: message.id });
      services.metrics.inc("queue_messages_malformed_total", "Malformed queue messages dropped.");
      message.ack();
      continue;
    }
    const body = parsed.data;
    const stub = env.JIRA_INSTANCE.get(env.JIRA_INSTANCE.idFromName(body.instanceId));
    if (body.type === "webhook") {
      const group = deliveries.get(body.instanceId) ?? { messages: [], events: [] };
      group.messages.push(message);
      group.events.push(body);
      deliveries.set(body.instanceId, group);
      continue;
    }
    try {
      await stub.requestSync(
        { tenantId: body.tenantId, instanceId: body.instanceId },
        { kind: body.kind, verify: body.verify, trigger: body.trigger },
      );
      message.ack();
    } catch (error) {
      retry(message, services, error);
    }
  }
  await Promise.all(
    [...deliveries].map(async ([instanceId, group]) => {
      const first = group.events[0];
      if (!first) {
        return;
      }
      const stub = env.JIRA_INSTANCE.get(env.JIRA_INSTANCE.idFromName(instanceId));
      try {
        await stub.applyWebhooks({ tenantId: first.tenantId, instanceId }, group.events);
        for (const message of group.messages) {
          message.ack();
        }
      } catch (error) {
        for (const message of group.messages) {
          retry(message, services, error);
        }
      }
    }),
  );
}

/** Messages that exhausted their retries: kept in Postgres, counted in /metrics, replayable. */
async function recordDeadLetters(batch: MessageBatch<unknown>, services: Services) {
  for (const message of batch.messages) {
    const parsed = QueueMessage.safeParse(message.body);
    services.metrics.inc(
      "queue_dead_letters_total",
      "Messages that ended in a dead-letter queue.",
      {
        queue: batch.queue,
      },
    );
    if (!parsed.success) {
      services.logger.error("dropping malformed dead letter", { messageId: message.id });
      message.ack();
      continue;
    }
    try {
      await services.db.withTenant(parsed.data.tenantId, (tx) =>
        tx.insert(deadLetters).values({
          tenantId: parsed.data.tenantId,
          queue: batch.queue,
          messageId: message.id,
          body: parsed.data,
          attempts: message.attempts,
        }),
      );
      message.ack();
    } catch (error) {
      services.logger.error("could not record dead letter; retrying", {
        messageId: message.id,
        error,
      });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}
