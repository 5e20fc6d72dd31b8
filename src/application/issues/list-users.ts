import { and, asc, eq, gt, or } from "drizzle-orm";
import { users } from "../../../drizzle/schema";
import { invalid } from "../../domain/errors";
import type { CursorCodec } from "../../infrastructure/crypto/cursor";
import type { Database, ReadAccess } from "../../infrastructure/db/database";
import { cursorOwner } from "./issue-view";

export interface ListUsersInput {
  access: ReadAccess;
  instanceId?: string;
  active?: boolean;
  limit: number;
  cursor?: string;
}

// Never the raw JSON: only what identifies a person without their address.
const COLUMNS = {
  id: users.id,
  instanceId: users.instanceId,
  accountId: users.accountId,
  displayName: users.displayName,
  active: users.active,
  accountType: users.accountType,
  emailHash: users.emailHash,
  timeZone: users.timeZone,
};

interface UserCursor {
  n: string;
  id: string;
}

function cursorOf(payload: unknown): UserCursor {
  const c = payload as Partial<UserCursor> | null;
  if (typeof c?.n !== "string" || typeof c.id !== "string") {
    throw invalid("The cursor is invalid or belongs to another query.", [
      { path: "cursor", message: "not a cursor this list issued" },
    ]);
  }
  return { n: c.n, id: c.id };
}

async function loadPage(
  deps: { db: Database; cursors: CursorCodec },
  input: ListUsersInput,
  scope: string,
) {
  const after = input.cursor ? cursorOf(await deps.cursors.decode(scope, input.cursor)) : undefined;
  const {
    results: [rows],
  } = await deps.db.read(input.access, (db) => [
    db
      .select(COLUMNS)
      .from(users)
      .where(
        and(
          input.instanceId ? eq(users.instanceId, input.instanceId) : undefined,
          input.active === undefined ? undefined : eq(users.active, input.active),
          after
            ? or(
                gt(users.displayName, after.n),
                and(eq(users.displayName, after.n), gt(users.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(asc(users.displayName), asc(users.id))
      .limit(input.limit + 1),
  ]);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ id: _id, ...user }) => user),
    nextCursor:
      rows.length > input.limit && last
        ? await deps.cursors.encode(scope, { n: last.displayName, id: last.id })
        : null,
  };
}

export type UserPage = Awaited<ReturnType<typeof loadPage>>;

/** The tenant's Jira users (of one instance, or all), by display name, keyset-paginated on (display name, id). */
export function listUsers(
  deps: { db: Database; cursors: CursorCodec },
  input: ListUsersInput,
): Promise<UserPage> {
  return loadPage(
    deps,
    input,
    `users:${cursorOwner(input.access)}:${input.instanceId ?? "*"}:${input.active ?? ""}`,
  );
}
