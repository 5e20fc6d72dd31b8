import { deadLetters } from "../../../drizzle/schema";
import { type Env, loadConfig } from "../../env";
import { createLogger } from "../../infrastructure/observability/logger";
import { createServices, type Services } from "../../infrastructure/services";
import { retryDelaySeconds } from "./backoff";
import { QUEUES, QueueMessage } from "./messages";

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
    for (const message of batch.messages) {
      await handleMessage(message, env, services);
    }
  } finally {
    ctx.waitUntil(services.dispose());
  }
}

async function handleMessage(message: Message<unknown>, env: Env, services: Services) {
  const parsed = QueueMessage.safeParse(message.body);
  if (!parsed.success) {
    // A malformed message can never succeed: retrying would only delay the rest of the batch.
    services.logger.error("dropping malformed queue message", { messageId: message.id });
    services.metrics.inc("queue_messages_malformed_total", "Malformed queue messages dropped.");
    message.ack();
    return;
  }
  const body = parsed.data;
  const stub = env.JIRA_INSTANCE.get(env.JIRA_INSTANCE.idFromName(body.instanceId));
  try {
    if (body.type === "webhook") {
      await stub.markDelivery(body.deliveryId);
    } else {
      await stub.requestSync(body.kind);
    }
    message.ack();
  } catch (error) {
    services.logger.warn("queue message failed; retrying", {
      messageId: message.id,
      attempts: message.attempts,
      error,
    });
    services.metrics.inc("queue_retries_total", "Queue messages retried.", { type: body.type });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
  }
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
