import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { writeIssue } from "../../../application/issues/writes/write-issue";
import type { IssueWrite } from "../../../application/issues/writes/write-operations";
import { type AdfDocument, isAdfDocument } from "../../../domain/adf";
import { invalid } from "../../../domain/errors";
import { actorOf } from "../../rest/routes/shared";
import { guarded, resolveInstance, type ToolContext, type ToolOutput } from "../context";
import {
  IdempotencyKeyInput,
  InstanceIdInput,
  IssueDetailOutput,
  IssueKeyInput,
  RichTextInput,
} from "../schemas";
import { issueLine, readIssue } from "./issues-read";

const FieldsInput = z
  .record(z.string(), z.unknown())
  .describe(
    'Jira fields by id, as Jira\'s REST API takes them: {"priority": {"name": "High"}, "labels": ["ui"], "assignee": {"accountId": "…"}, "customfield_10010": "Atlas"}.',
  );

/** Plain text stays text (Jira's client turns it into ADF); an ADF document passes as is. */
function richText(value: z.infer<typeof RichTextInput>): AdfDocument | string {
  if (typeof value === "string" || isAdfDocument(value)) {
    return value;
  }
  throw invalid("Rich text must be a string or an ADF document.");
}

/**
 * Performs the write in Jira through the instance's Durable Object (audited, idempotent when a
 * key is given) and returns the issue as stored afterwards.
 */
async function performWrite(
  ctx: ToolContext,
  tool: string,
  input: { instanceId?: string; idempotencyKey?: string },
  write: IssueWrite,
): Promise<ToolOutput> {
  const { services, caller } = ctx;
  const instanceId = await resolveInstance(ctx, input.instanceId);
  const response = await writeIssue(
    {
      db: services.db,
      instances: services.bindings.JIRA_INSTANCE,
      readIssue: (id, key) => readIssue(ctx, { instanceId: id, key }),
    },
    {
      tenantId: caller.tenantId,
      instanceId,
      actor: actorOf(caller),
      requestId: ctx.requestId,
      write,
      successStatus: write.type === "create" ? 201 : 200,
      idempotencyKey: input.idempotencyKey,
      fingerprint: `MCP ${tool} ${JSON.stringify({ instanceId, write })}`,
    },
  );
  const issue = response.body as z.infer<typeof IssueDetailOutput>;
  const replayed = response.replayed ? " (replayed: nothing was written again)" : "";
  return { summary: `${issueLine(issue)}${replayed}`, data: issue };
}

const CreateInput = z.strictObject({
  instanceId: InstanceIdInput,
  projectKey: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,49}$/)
    .describe("Project key, e.g. PROJ."),
  issueType: z.string().min(1).max(255).describe("Issue type name, e.g. Task, Bug, Story."),
  summary: z.string().min(1).max(255).describe("One-line title."),
  description: RichTextInput.optional().describe(
    "Plain text (blank lines split paragraphs) or ADF.",
  ),
  fields: FieldsInput.optional(),
  idempotencyKey: IdempotencyKeyInput,
});

const UpdateInput = z.strictObject({
  instanceId: InstanceIdInput,
  key: IssueKeyInput,
  fields: FieldsInput.describe(
    'Fields to set, by id: {"summary": "…", "priority": {"name": "High"}, "labels": ["ui"]}.',
  ),
  update: z
    .record(z.string(), z.array(z.unknown()))
    .optional()
    .describe('Jira update operations, e.g. {"labels": [{"add": "urgent"}]}.'),
  idempotencyKey: IdempotencyKeyInput,
});

const TransitionInput = z.strictObject({
  instanceId: InstanceIdInput,
  key: IssueKeyInput,
  transition: z
    .string()
    .min(1)
    .max(255)
    .describe('The transition id, its name ("Start Progress") or the target status ("Done").'),
  idempotencyKey: IdempotencyKeyInput,
});

const CommentInput = z.strictObject({
  instanceId: InstanceIdInput,
  key: IssueKeyInput,
  body: RichTextInput.describe("Plain text (blank lines split paragraphs) or an ADF document."),
  idempotencyKey: IdempotencyKeyInput,
});

const WRITE_ANNOTATIONS = { readOnlyHint: false, destructiveHint: false, openWorldHint: true };

export function registerIssueWriteTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "create_issue",
    {
      title: "Create an issue",
      description:
        "Create a Jira issue in a project (it is created in Jira, then stored here) and return it with its new key. Use list_projects for valid project keys. Jira's refusals (e.g. a required field) come back naming the fields. Needs the write scope.",
      inputSchema: CreateInput,
      outputSchema: IssueDetailOutput,
      annotations: { ...WRITE_ANNOTATIONS, idempotentHint: false },
    },
    guarded(ctx, "write", (args: z.infer<typeof CreateInput>) =>
      performWrite(ctx, "create_issue", args, {
        type: "create",
        projectKey: args.projectKey.toUpperCase(),
        issueType: args.issueType,
        summary: args.summary,
        ...(args.description === undefined ? {} : { description: richText(args.description) }),
        ...(args.fields === undefined ? {} : { fields: args.fields }),
      }),
    ),
  );

  server.registerTool(
    "update_issue",
    {
      title: "Update an issue",
      description:
        "Edit fields of an existing Jira issue (summary, description, priority, labels, assignee, custom fields…) and return it as stored after the edit. To change the status use transition_issue; to comment use add_comment. Needs the write scope.",
      inputSchema: UpdateInput,
      outputSchema: IssueDetailOutput,
      annotations: { ...WRITE_ANNOTATIONS, idempotentHint: true },
    },
    guarded(ctx, "write", (args: z.infer<typeof UpdateInput>) =>
      performWrite(ctx, "update_issue", args, {
        type: "edit",
        key: args.key.toUpperCase(),
        fields: args.fields,
        ...(args.update === undefined ? {} : { update: args.update }),
      }),
    ),
  );

  server.registerTool(
    "transition_issue",
    {
      title: "Move an issue to another status",
      description:
        "Change an issue's status through a Jira workflow transition, given by id, transition name or target status name. If it is not available from the current status, the error lists the transitions that are. Needs the write scope.",
      inputSchema: TransitionInput,
      outputSchema: IssueDetailOutput,
      annotations: { ...WRITE_ANNOTATIONS, idempotentHint: false },
    },
    guarded(ctx, "write", (args: z.infer<typeof TransitionInput>) =>
      performWrite(ctx, "transition_issue", args, {
        type: "transition",
        key: args.key.toUpperCase(),
        transition: args.transition,
      }),
    ),
  );

  server.registerTool(
    "add_comment",
    {
      title: "Comment on an issue",
      description:
        "Add a comment to a Jira issue, as plain text or ADF, and return the issue as stored afterwards (with its new comment count). Needs the write scope.",
      inputSchema: CommentInput,
      outputSchema: IssueDetailOutput,
      annotations: { ...WRITE_ANNOTATIONS, idempotentHint: false },
    },
    guarded(ctx, "write", (args: z.infer<typeof CommentInput>) =>
      performWrite(ctx, "add_comment", args, {
        type: "comment",
        key: args.key.toUpperCase(),
        body: richText(args.body),
      }),
    ),
  );
}
