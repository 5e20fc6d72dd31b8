import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, Tx } from "../../infrastructure/db/database";
import {
  type CreatedCursor,
  createdCursorOf,
  liveIssueId,
  loadNames,
  type Names,
} from "./issue-view";

interface ChildRow {
  id: string;
  instanceId: string;
  authorAccountId: string | null;
  created: Date;
}

export interface ChildPageInput {
  tenantId: string;
  instanceId: string;
  key: string;
  limit: number;
  cursor?: string;
}

/**
 * A page of an issue's comments or change histories, oldest first, keyset-paginated on
 * (created, id), with the authors' display names.
 */
export async function pageOfIssueChildren<R extends ChildRow, V>(
  deps: { db: Database; cursors: CursorCodec },
  input: ChildPageInput,
  kind: "comments" | "changelogs",
  rowsOf: (tx: Tx, issueId: string, page: { limit: number; after?: CreatedCursor }) => Promise<R[]>,
  view: (row: R, names: Names) => V,
) {
  const scope = `${kind}:${input.tenantId}:${input.instanceId}:${input.key}`;
  const after = input.cursor
    ? createdCursorOf(await deps.cursors.decode(scope, input.cursor))
    : undefined;
  const { rows, names } = await deps.db.withTenant(input.tenantId, async (tx) => {
    const issueId = await liveIssueId(tx, input.instanceId, input.key);
    const rows = await rowsOf(tx, issueId, { limit: input.limit, after });
    const authors = rows.map((r) => ({ instanceId: r.instanceId, accountId: r.authorAccountId }));
    return { rows, names: await loadNames(tx, authors) };
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => view(row, names)),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { t: last.created.toISOString(), id: last.id })
        : null,
  };
}
