import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { notFound } from "../../domain/errors";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadAccess, ReadDb } from "../../infrastructure/db/database";
import {
  type CreatedCursor,
  createdCursorOf,
  cursorOwner,
  liveIssueIdQuery,
  type Names,
  namesOf,
} from "./issue-view";

interface ChildRow {
  id: string;
  instanceId: string;
  authorAccountId: string | null;
  authorName: string | null;
  created: Date;
}

export interface ChildPageInput {
  access: ReadAccess;
  instanceId: string;
  key: string;
  limit: number;
  cursor?: string;
}

/**
 * A page of an issue's comments or change histories, oldest first, keyset-paginated on
 * (created, id), with the authors' display names — one round trip: whether the issue is live,
 * and its page (found through the issue's key in a subquery).
 */
export async function pageOfIssueChildren<R extends ChildRow, V>(
  deps: { db: Database; cursors: CursorCodec },
  input: ChildPageInput,
  kind: "comments" | "changelogs",
  rowsOf: (
    db: ReadDb,
    issueId: SQL,
    page: { limit: number; after?: CreatedCursor },
  ) => BatchItem<"pg">,
  view: (row: R, names: Names) => V,
) {
  const scope = `${kind}:${cursorOwner(input.access)}:${input.instanceId}:${input.key}`;
  const after = input.cursor
    ? createdCursorOf(await deps.cursors.decode(scope, input.cursor))
    : undefined;
  const issueId = liveIssueIdQuery(input.instanceId, input.key);
  const {
    results: [found, rows],
  } = await deps.db.read(input.access, (db) => [
    db.execute(sql`select ${issueId} is not null as live`),
    rowsOf(db, issueId, { limit: input.limit, after }),
  ]);
  if (!(found as unknown as { rows: { live: boolean }[] }).rows[0]?.live) {
    throw notFound(`Issue ${input.key}`);
  }
  const page = (rows as R[]).slice(0, input.limit);
  const last = page.at(-1);
  const names = namesOf(
    page.map((r) => ({
      instanceId: r.instanceId,
      accountId: r.authorAccountId,
      displayName: r.authorName,
    })),
  );
  return {
    items: page.map((row) => view(row, names)),
    nextCursor:
      (rows as R[]).length > input.limit && last
        ? await deps.cursors.encode(scope, { t: last.created.toISOString(), id: last.id })
        : null,
  };
}
