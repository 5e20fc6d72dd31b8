import { eq, sql } from "drizzle-orm";
import { jiraInstances } from "../../../drizzle/schema";
import type { SyncContext } from "./context";

/**
 * Keeps the connected Jira account's id and time zone on the instance: JQL over the mirror reads
 * dates in that zone and answers currentUser() with that account, as Jira does for its searches.
 */
export async function rememberJiraAccount(
  ctx: Pick<SyncContext, "db" | "scope">,
  account: { accountId: string; timeZone: string },
): Promise<void> {
  const patch = JSON.stringify({
    jiraAccountId: account.accountId,
    jiraTimeZone: account.timeZone,
  });
  await ctx.db.withTenant(ctx.scope.tenantId, (tx) =>
    tx
      .update(jiraInstances)
      .set({ settings: sql`${jiraInstances.settings} || ${patch}::jsonb` })
      .where(eq(jiraInstances.id, ctx.scope.instanceId)),
  );
}
