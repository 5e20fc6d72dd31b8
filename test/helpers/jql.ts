import { expect } from "vitest";
import { createRng, type Rng } from "../jira-sim/prng";
import { call, json } from "./http";
import type { SyncedSite } from "./sync";

interface Page {
  items: { key: string }[];
  nextCursor: string | null;
}

/** Every key our GET /v1/issues?jql= returns, following cursors (small pages on purpose). */
export async function ourKeys(synced: SyncedSite, jql: string, limit = 17): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({
      instanceId: synced.instanceId,
      jql,
      limit: String(limit),
    });
    if (cursor) {
      params.set("cursor", cursor);
    }
    const res = await call("GET", `/v1/issues?${params}`, { token: synced.tenant.key });
    if (res.status !== 200) {
      throw new Error(`${jql} → ${res.status} ${await res.text()}`);
    }
    const page: Page = await json<Page>(res);
    keys.push(...page.items.map((i) => i.key));
    cursor = page.nextCursor;
  } while (cursor);
  return keys;
}

/** The keys the simulator's own /rest/api/3/search/jql returns, in its order. */
export async function simKeys(synced: SyncedSite, jql: string): Promise<string[]> {
  const auth = `Basic ${btoa(`${synced.site.email}:${synced.site.apiToken}`)}`;
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await fetch(`${synced.site.url}/rest/api/3/search/jql`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ jql, fields: ["key"], maxResults: 100, nextPageToken: token }),
    });
    expect(res.status, `${jql}: ${res.status}`).toBe(200);
    const body = (await res.json()) as { issues: { key: string }[]; nextPageToken?: string };
    keys.push(...body.issues.map((i) => i.key));
    token = body.nextPageToken;
  } while (token);
  return keys;
}

export interface Vocabulary {
  projects: string[];
  statuses: string[];
  types: string[];
  priorities: string[];
  labels: string[];
  users: string[];
}

const quote = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const list = (rng: Rng, values: string[]) =>
  `(${rng
    .sample(values, rng.int(1, Math.min(3, values.length)))
    .map(quote)
    .join(", ")})`;

function clause(rng: Rng, vocab: Vocabulary): string {
  const field = rng.pick([
    "project",
    "status",
    "issuetype",
    "priority",
    "assignee",
    "reporter",
    "labels",
    "statusCategory",
    "resolution",
    "created",
    "updated",
    "resolved",
  ] as const);
  const eq = (name: string, values: string[], empties: boolean) => {
    const form = rng.int(0, empties ? 5 : 3);
    switch (form) {
      case 0:
        return `${name} = ${quote(rng.pick(values))}`;
      case 1:
        return `${name} != ${quote(rng.pick(values))}`;
      case 2:
        return `${name} in ${list(rng, values)}`;
      case 3:
        return `${name} not in ${list(rng, values)}`;
      case 4:
        return `${name} is EMPTY`;
      default:
        return `${name} is not EMPTY`;
    }
  };
  switch (field) {
    case "project":
      return eq(rng.pick(["project", "PROJECT"]), vocab.projects, false);
    case "status":
      return eq("status", vocab.statuses, false);
    case "issuetype":
      return eq(rng.pick(["issuetype", "type"]), vocab.types, false);
    case "priority":
      return eq("priority", vocab.priorities, true);
    case "assignee":
      return rng.chance(0.2) ? "assignee = currentUser()" : eq("assignee", vocab.users, true);
    case "reporter":
      return eq("reporter", vocab.users, false);
    case "labels":
      return eq("labels", vocab.labels, true);
    case "statusCategory":
      return eq("statusCategory", ["To Do", "In Progress", "Done"], false);
    case "resolution":
      return rng.pick([
        "resolution = Unresolved",
        "resolution is EMPTY",
        "resolution is not EMPTY",
      ]);
    default: {
      const op = rng.pick([">", ">=", "<", "<="]);
      const day = `2025-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`;
      const value = rng.pick([
        quote(day),
        `"-${rng.int(1, 400)}d"`,
        `"${day} ${rng.int(10, 23)}:30"`,
        "now()",
        "startOfDay()",
      ]);
      return rng.chance(0.15) ? `${field} is EMPTY` : `${field} ${op} ${value}`;
    }
  }
}

function where(rng: Rng, vocab: Vocabulary, depth: number): string {
  const roll = rng.next();
  if (depth > 1 || roll < 0.4) {
    return clause(rng, vocab);
  }
  if (roll < 0.5) {
    return `NOT (${where(rng, vocab, depth + 1)})`;
  }
  const joiner = rng.pick([" AND ", " OR ", " and ", " || ", " && "]);
  return `(${where(rng, vocab, depth + 1)}${joiner}${where(rng, vocab, depth + 1)})`;
}

/**
 * `count` random JQL queries over the vocabulary (seeded): combinations of fields, operators,
 * functions, AND/OR/NOT and ORDER BY. Every ORDER BY ends in `key` so the order is total.
 */
export function generateJql(seed: number, count: number, vocab: Vocabulary): string[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const filter = where(rng, vocab, 0);
    if (rng.chance(0.25)) {
      return filter;
    }
    const field = rng.pick([
      "created",
      "updated",
      "priority",
      "key",
      "resolved",
      "id",
      "project",
      "assignee",
    ]);
    const dir = rng.pick(["", " ASC", " DESC", " desc"]);
    return `${filter} ORDER BY ${field}${dir}${field === "key" || field === "id" ? "" : ", key ASC"}`;
  });
}
