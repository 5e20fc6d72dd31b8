import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { listIssues } from "../../../application/issues/list-issues";
import { searchJql } from "../../../application/issues/search-jql";
import { invalid } from "../../../domain/errors";
import { parseIssueQuery } from "../../../domain/issue-query";
import { guarded, type ToolContext } from "../context";
import { CursorInput, IssueSummaryOutput, LimitInput, pageOutput } from "../schemas";
import { issueLine } from "./issues-read";

const many = (description: string) =>
  z
    .union([z.string(), z.array(z.string()).max(100)])
    .optional()
    .describe(`${description} One value, a comma-separated list or an array; any of them matches.`);

const bound = (description: string) =>
  z
    .string()
    .optional()
    .describe(`${description}: a date (2025-01-31, the whole day) or an ISO-8601 date-time.`);

const LIST_FILTERS = {
  instanceId: many("Only these Jira instances (ids from list_instances)."),
  project: many("Project keys, e.g. PROJ."),
  status: many('Status names, e.g. "In Progress".'),
  statusCategory: many("Status categories: new, indeterminate (in progress), done."),
  type: many("Issue type names, e.g. Bug."),
  priority: many("Priority names, e.g. High."),
  assignee: many("Assignee Jira account ids."),
  label: many("Labels."),
};
const RANGES = {
  updatedFrom: bound("Updated at or after"),
  updatedTo: bound("Updated at or before"),
  createdFrom: bound("Created at or after"),
  createdTo: bound("Created at or before"),
};

const SearchInput = z.strictObject({
  ...LIST_FILTERS,
  ...RANGES,
  q: z
    .string()
    .max(500)
    .optional()
    .describe(
      'Full-text search over summary, description and comments (web-search syntax: "exact phrase", OR, -word). Results are ranked by relevance unless sort is given.',
    ),
  cf: z
    .record(
      z.string(),
      z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()])).max(100)]),
    )
    .optional()
    .describe(
      'Custom field equality, by field id: {"customfield_10010": "Atlas"}. Matches text, number, option, multi-select, user (accountId), version and component fields; an array means any of the values.',
    ),
  sort: z
    .enum(["updated", "-updated", "created", "-created", "priority", "-priority", "key", "-key"])
    .optional()
    .describe("Sort order; a leading - is descending. Default: -updated (relevance with q)."),
  jql: z
    .string()
    .max(10_000)
    .optional()
    .describe(
      'A JQL query, answered from the mirror exactly as Jira would (e.g. \'project = PROJ AND status WAS "In Progress" AND text ~ "timeout" ORDER BY priority DESC\'). Needs one instanceId; use it instead of the other filters and sort.',
    ),
  limit: LimitInput(20),
  cursor: CursorInput,
});

/** With `jql`, the one instance it runs on; other filters alongside it are refused. */
function jqlInstance(args: z.infer<typeof SearchInput>): string {
  const { jql: _jql, limit: _limit, cursor: _cursor, instanceId, ...others } = args;
  const extra = Object.entries(others).filter(([, value]) => value !== undefined);
  const errors = extra.map(([name]) => ({ path: name, message: "cannot be combined with jql" }));
  if (typeof instanceId !== "string" || instanceId.includes(",")) {
    errors.push({ path: "instanceId", message: "jql needs exactly one instanceId" });
  }
  if (errors.length > 0 || typeof instanceId !== "string") {
    throw invalid("jql excludes the other filters and needs one instanceId.", errors);
  }
  return instanceId;
}

/** The tool's arguments as `GET /v1/issues` query parameters, so both parse (and page) alike. */
function searchParams(args: z.infer<typeof SearchInput>): Record<string, string[]> {
  const { cf, limit: _limit, cursor: _cursor, ...filters } = args;
  const params: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined) {
      params[name] = typeof value === "string" ? [value] : value;
    }
  }
  for (const [fieldId, value] of Object.entries(cf ?? {})) {
    params[`cf.${fieldId}`] = (Array.isArray(value) ? value : [value]).map(String);
  }
  return params;
}

export function registerSearchIssues(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "search_issues",
    {
      title: "Search issues",
      description:
        "Search the synced Jira issues of your connected sites with JQL (`jql` + `instanceId`), or by project, status, type, priority, assignee, label, dates, custom fields and full text. Use it to find issues, answer questions like 'what is open in PROJ' or 'bugs updated this week', or to get keys for get_issue. Filters combine with AND. Returns up to `limit` issues and a nextCursor for more. Needs the read scope.",
      inputSchema: SearchInput,
      outputSchema: pageOutput(IssueSummaryOutput),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof SearchInput>) => {
      const paging = { limit: args.limit, cursor: args.cursor };
      const page =
        args.jql !== undefined
          ? await searchJql(ctx.services, {
              ...paging,
              tenantId: ctx.caller.tenantId,
              instanceId: jqlInstance(args),
              jql: args.jql,
            })
          : await listIssues(ctx.services, {
              ...paging,
              access: { tenantId: ctx.caller.tenantId },
              query: parseIssueQuery(searchParams(args)),
            });
      const more = page.nextCursor ? " (more: pass nextCursor as cursor)" : "";
      return {
        summary: [`${page.items.length} issue(s)${more}`, ...page.items.map(issueLine)].join("\n"),
        data: page,
      };
    }),
  );
}
