import { updatedSinceJql } from "../../domain/jql";
import { jiraDate } from "../../domain/json-record";
import type { SyncContext } from "./context";
import { FULL_ISSUE, storeIssues } from "./store-issues";

/** How far behind the watermark each poll starts: JQL is minute-precise and clocks drift. */
export const POLL_OVERLAP_MS = 5 * 60 * 1000;
const MAX_PAGES_PER_POLL = 50;

/**
 * Incremental sync: issues with `updated >= watermark − overlap`, oldest change first. Returns the
 * new watermark: the newest `updated` actually stored (never past what was seen).
 */
export async function poll(
  ctx: SyncContext,
  watermark: Date,
): Promise<{ watermark: Date; seen: number }> {
  const since = new Date(watermark.getTime() - POLL_OVERLAP_MS);
  let newest = watermark;
  let seen = 0;
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
    const result = await ctx.jira.searchJqlPage(
      { jql: updatedSinceJql(since, ctx.timeZone), ...FULL_ISSUE, maxResults: 100 },
      token,
    );
    await storeIssues(ctx, result.issues);
    seen += result.issues.length;
    for (const issue of result.issues) {
      const updated = jiraDate(issue.fields?.updated);
      if (updated && updated > newest) {
        newest = updated;
      }
    }
    token = result.nextPageToken ?? undefined;
    if (result.isLast !== false && !token) {
      break;
    }
  }
  return { watermark: newest, seen };
}
