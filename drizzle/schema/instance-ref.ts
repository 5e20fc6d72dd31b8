import { uuid } from "drizzle-orm/pg-core";
import { jiraInstances } from "./jira-instances";

/** The Jira instance a synced row came from; deleting the instance deletes its data. */
export const instanceId = () =>
  uuid("instance_id")
    .notNull()
    .references(() => jiraInstances.id, { onDelete: "cascade" });
