import { and, asc, eq, gt, or } from "drizzle-orm";
import { projects } from "../../../drizzle/schema";
import { invalid } from "../../domain/errors";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadAccess } from "../../infrastructure/db/database";
import { cursorOwner } from "./issue-view";

export interface ListProjectsInput {
  access: ReadAccess;
  instanceId?: string;
  limit: number;
  cursor?: string;
}

const COLUMNS = {
  id: projects.id,
  instanceId: projects.instanceId,
  jiraId: projects.jiraId,
  key: projects.key,
  name: projects.name,
  projectType: projects.projectType,
  leadAccountId: projects.leadAccountId,
};

interface ProjectCursor {
  k: string;
  id: string;
}

function cursorOf(payload: unknown): ProjectCursor {
  const c = payload as Partial<ProjectCursor> | null;
  if (typeof c?.k !== "string" || typeof c.id !== "string") {
    throw invalid("The cursor is invalid or belongs to another query.", [
      { path: "cursor", message: "not a cursor this list issued" },
    ]);
  }
  return { k: c.k, id: c.id };
}

async function loadPage(
  deps: { db: Database; cursors: CursorCodec },
  input: ListProjectsInput,
  scope: string,
) {
  const after = input.cursor ? cursorOf(await deps.cursors.decode(scope, input.cursor)) : undefined;
  const {
    results: [rows],
  } = await deps.db.read(input.access, (db) => [
    db
      .select(COLUMNS)
      .from(projects)
      .where(
        and(
          input.instanceId ? eq(projects.instanceId, input.instanceId) : undefined,
          after
            ? or(
                gt(projects.key, after.k),
                and(eq(projects.key, after.k), gt(projects.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(projects.key), asc(projects.id))
      .limit(input.limit + 1),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page,
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { k: last.key, id: last.id })
        : null,
  };
}

export type ProjectPage = Awaited<ReturnType<typeof loadPage>>;

/** The tenant's projects (of one instance, or all), by key, keyset-paginated on (key, id). */
export function listProjects(
  deps: { db: Database; cursors: CursorCodec },
  input: ListProjectsInput,
): Promise<ProjectPage> {
  return loadPage(deps, input, `projects:${cursorOwner(input.access)}:${input.instanceId ?? "*"}`);
}
