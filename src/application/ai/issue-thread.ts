import { and, asc, eq, isNull } from "drizzle-orm";
import { comments, issues, users } from "../../../drizzle/schema";
import { notFound } from "../../domain/errors";
import type { KnownPerson } from "../../domain/pii";
import type { Database, Tx } from "../../infrastructure/db/database";

export interface IssueThread {
  key: string;
  projectKey: string;
  summary: string;
  description: string;
  type: string | null;
  priority: string | null;
  status: string | null;
  reporter: string | null;
  assignee: string | null;
  labels: string[];
  components: string[];
  comments: { author: string | null; text: string }[];
}

/** Most sites have far fewer; the cap bounds the work of building a redactor. */
const MAX_PEOPLE = 5000;

/** Every user of the instance, so names and mentions anywhere in a text can be replaced. */
export function instancePeople(tx: Tx, instanceId: string): Promise<KnownPerson[]> {
  return (
    tx
      .select({ accountId: users.accountId, displayName: users.displayName })
      .from(users)
      .where(eq(users.instanceId, instanceId))
      // A stable order gives stable placeholders (PERSON_1 is the same person on every call).
      .orderBy(asc(users.displayName), asc(users.accountId))
      .limit(MAX_PEOPLE)
  );
}

/** One live issue of the caller's tenant with its comments (oldest first) and the site's people. */
export async function loadIssueThread(
  db: Database,
  input: { tenantId: string; instanceId: string; key: string },
): Promise<{ thread: IssueThread; people: KnownPerson[] }> {
  return db.withTenant(input.tenantId, async (tx) => {
    const [issue] = await tx
      .select()
      .from(issues)
      .where(
        and(
          eq(issues.instanceId, input.instanceId),
          eq(issues.key, input.key),
          isNull(issues.deletedAt),
        ),
      );
    if (!issue) {
      throw notFound(`Issue ${input.key}`);
    }
    const thread = await tx
      .select({ author: comments.authorAccountId, text: comments.bodyText })
      .from(comments)
      .where(eq(comments.issueId, issue.id))
      .orderBy(asc(comments.created), asc(comments.jiraId))
      .limit(200);
    return {
      thread: {
        key: issue.key,
        projectKey: issue.projectKey,
        summary: issue.summary,
        description: issue.descriptionText,
        type: issue.issueType,
        priority: issue.priority,
        status: issue.status,
        reporter: issue.reporterAccountId,
        assignee: issue.assigneeAccountId,
        labels: issue.labels,
        components: issue.components,
        comments: thread,
      },
      people: await instancePeople(tx, input.instanceId),
    };
  });
}
