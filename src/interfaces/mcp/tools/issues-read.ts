import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { getIssue } from "../../../application/issues/get-issue";
import { listProjects } from "../../../application/issues/list-projects";
import { guarded, resolveInstance, type ToolContext } from "../context";
import {
  CursorInput,
  InstanceIdInput,
  IssueDetailOutput,
  IssueKeyInput,
  type IssueSummaryOutput,
  LimitInput,
  pageOutput,
} from "../schemas";

type Summary = z.infer<typeof IssueSummaryOutput>;

/** One line per issue: what an assistant (or a person reading the transcript) scans first. */
export const issueLine = (issue: Summary) =>
  `${issue.key} [${issue.status ?? "?"}] ${issue.type ?? "Issue"}, ${issue.priority ?? "no priority"}` +
  `, ${issue.assignee?.displayName ?? issue.assignee?.accountId ?? "unassigned"}: ${issue.summary}`;

/** The stored issue as GET /v1/issues/{key} returns it (from the read cache when fresh). */
export async function readIssue(
  ctx: ToolContext,
  input: { instanceId: string; key: string; comments?: boolean; changelog?: boolean },
): Promise<Record<string, unknown>> {
  const { services } = ctx;
  const document = await getIssue(services, {
    access: { tenantId: ctx.caller.tenantId },
    instanceId: input.instanceId,
    key: input.key,
    include: { comments: input.comments ?? false, changelog: input.changelog ?? false },
  });
  return JSON.parse(document.body) as Record<string, unknown>;
}

const GetInput = z.strictObject({
  instanceId: InstanceIdInput,
  key: IssueKeyInput,
  includeComments: z.boolean().default(false).describe("Embed all comments, oldest first."),
  includeChangelog: z.boolean().default(false).describe("Embed the change history."),
});

const ProjectsInput = z.strictObject({
  instanceId: z
    .uuid()
    .optional()
    .describe("Only this Jira instance's projects; all instances when left out."),
  limit: LimitInput(50),
  cursor: CursorInput,
});

const Project = z.looseObject({
  id: z.string(),
  instanceId: z.string(),
  jiraId: z.string(),
  key: z.string(),
  name: z.string(),
  projectType: z.string().nullable(),
  leadAccountId: z.string().nullable(),
});

export function registerIssueReadTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "get_issue",
    {
      title: "Get an issue",
      description:
        "Read one issue in full: summary, description (text and ADF), status, people, dates, labels, components, versions, custom fields and links; optionally its comments and change history. Use it when you know the key (from search_issues or the user). Needs the read scope.",
      inputSchema: GetInput,
      outputSchema: IssueDetailOutput,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof GetInput>) => {
      const issue = await readIssue(ctx, {
        instanceId: await resolveInstance(ctx, args.instanceId),
        key: args.key.toUpperCase(),
        comments: args.includeComments,
        changelog: args.includeChangelog,
      });
      return { summary: issueLine(issue as Summary), data: issue };
    }),
  );

  server.registerTool(
    "list_projects",
    {
      title: "List projects",
      description:
        "List the Jira projects (key, name, type) of your connected sites. Use it to learn valid project keys before searching or creating issues. Needs the read scope.",
      inputSchema: ProjectsInput,
      outputSchema: pageOutput(Project),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(ctx, "read", async (args: z.infer<typeof ProjectsInput>) => {
      const { services } = ctx;
      const page = await listProjects(services, {
        access: { tenantId: ctx.caller.tenantId },
        ...args,
      });
      const lines = page.items.map((p) => `${p.key}: ${p.name}`);
      return { summary: [`${page.items.length} project(s)`, ...lines].join("\n"), data: page };
    }),
  );
}
