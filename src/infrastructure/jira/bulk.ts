/** Bulk issue reads: POST /issue/bulkfetch and POST /changelog/bulkfetch. */
import type { JiraHttp } from "./http";
import { type IssueFetchOptions, list } from "./issues";
import { chunk, paginateToken } from "./pagination";
import type { RequestSpec } from "./request";
import {
  bulkChangelogResponseSchema,
  bulkIssueResultsSchema,
  type JiraIssue,
  type JiraIssueChangeLog,
  type JiraIssueError,
} from "./schemas";
import { validate } from "./validate";

export interface BulkFetchResult {
  issues: JiraIssue[];
  /** Requested ids/keys that came back neither as an issue (not found, no permission) nor fetched. */
  missing: string[];
  /** Per-issue errors Jira reported (`issueErrors`: retriable or payload constraints). */
  errors: JiraIssueError[];
}

export function bulkMethods(http: JiraHttp) {
  return {
    /** POST /issue/bulkfetch, 100 ids or keys per call. */
    async bulkFetchIssues(
      ids: readonly string[],
      options: IssueFetchOptions = {},
    ): Promise<BulkFetchResult> {
      const result: BulkFetchResult = { issues: [], missing: [], errors: [] };
      for (const batch of chunk([...new Set(ids)], 100)) {
        const spec: RequestSpec = {
          method: "POST",
          path: "/issue/bulkfetch",
          route: "/issue/bulkfetch",
          body: { issueIdsOrKeys: batch, fields: options.fields, expand: list(options.expand) },
        };
        const page = validate(bulkIssueResultsSchema, await http.request(spec), spec);
        const found = new Set(page.issues.flatMap((issue) => [issue.id, issue.key ?? ""]));
        result.issues.push(...page.issues);
        result.errors.push(...page.issueErrors);
        result.missing.push(...batch.filter((id) => !found.has(id)));
      }
      return result;
    },

    /**
     * Changelogs for many issues (POST /changelog/bulkfetch, ≤1000 ids per request, token paging).
     * Yields per-issue entries as pages arrive; one issue may appear in several entries.
     */
    async *bulkFetchChangelogs(
      ids: readonly string[],
      options: { fieldIds?: string[]; maxResults?: number } = {},
    ): AsyncGenerator<JiraIssueChangeLog, void, undefined> {
      for (const batch of chunk([...new Set(ids)], 1000)) {
        const pages = paginateToken(async (nextPageToken) => {
          const spec: RequestSpec = {
            method: "POST",
            path: "/changelog/bulkfetch",
            route: "/changelog/bulkfetch",
            body: {
              issueIdsOrKeys: batch,
              fieldIds: options.fieldIds,
              maxResults: options.maxResults,
              nextPageToken,
            },
          };
          return validate(bulkChangelogResponseSchema, await http.request(spec), spec);
        });
        for await (const page of pages) {
          yield* page.issueChangeLogs;
        }
      }
    },
  };
}
