import type { Env } from "./env";
import { handleScheduled } from "./interfaces/cron/scheduled";
import { handleQueue } from "./interfaces/queue/consumer";
import { createApp } from "./interfaces/rest/app";

export { JiraInstance } from "../durable-objects/jira-instance";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: handleScheduled,
} satisfies ExportedHandler<Env>;
