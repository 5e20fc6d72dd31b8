/**
 * Keyset pagination while the data changes between pages: rows whose sort value does not change
 * are listed exactly once and in order, whatever happens to the rows around them (updates that
 * move rows, new rows, deletions) — where offset pagination would skip or repeat them.
 */
import { describe, expect, it } from "vitest";
import { insertInstance } from "../helpers/factories";
import { call, json } from "../helpers/http";
import { type SeedIssue, seedIssues, updateIssue } from "../helpers/seed-issues";
import { createTenantWithKey } from "../helpers/tenancy";

interface Page {
  items: { key: string; updated: string }[];
  nextCursor: string | null;
}

const hour = (h: number) =>
  new Date(Date.parse("2025-03-01T00:00:00Z") + h * 3_600_000).toISOString();

async function site(count: number) {
  const tenant = await createTenantWithKey(["read"]);
  const instanceId = (await insertInstance(tenant.id)).id;
  const issues: SeedIssue[] = Array.from({ length: count }, (_, i) => ({
    key: `PAGE-${i + 1}`,
    // Pairs share a time: ties are broken by id, which must page correctly too.
    updated: hour(Math.floor(i / 2)),
  }));
  await seedIssues(tenant.id, instanceId, issues);
  return { tenant, instanceId, keys: issues.map((i) => i.key) };
}

/** Walks every page, calling `between(pageNumber, keysSoFar)` before fetching the next one. */
async function walk(
  token: string,
  query: string,
  between: (page: number, seen: string[]) => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 1; ; page++) {
    const url: string = `/v1/issues?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await call("GET", url, { token });
    expect(res.status).toBe(200);
    const body: Page = await json<Page>(res);
    seen.push(...body.items.map((i) => i.key));
    cursor = body.nextCursor;
    if (!cursor) {
      return seen;
    }
    await between(page, seen);
  }
}

describe("pagination while rows change underneath", () => {
  it("sort=-updated: moved, new and deleted rows never make an unchanged row skip or repeat", async () => {
    const { tenant, instanceId, keys } = await site(40);
    const changed = new Set<string>();
    let fresh = 0;
    const seen = await walk(tenant.key, "limit=7", async (page, sofar) => {
      const unseen = keys.filter((k) => !sofar.includes(k) && !changed.has(k));
      // A row already listed and one not yet listed become the newest…
      for (const key of [sofar[0], unseen.at(-1)]) {
        if (key) {
          changed.add(key);
          await updateIssue(tenant.id, key, { updated: hour(1000 + page) });
        }
      }
      // …a row not yet listed is deleted, and brand-new rows appear at the front.
      const gone = unseen[0];
      if (gone) {
        changed.add(gone);
        await updateIssue(tenant.id, gone, { deleted: true });
      }
      await seedIssues(tenant.id, instanceId, [
        { key: `NEW-${++fresh}`, updated: hour(2000 + page) },
      ]);
    });
    expect(new Set(seen).size).toBe(seen.length);
    const unchanged = keys.filter((k) => !changed.has(k));
    const listed = seen.filter((k) => unchanged.includes(k));
    expect([...listed].sort()).toEqual([...unchanged].sort());
    // Newest first: the seeded time of each listed row never increases (pairs tie, by id).
    const rank = (key: string) => Math.floor((Number(key.split("-")[1]) - 1) / 2);
    expect(listed.map(rank)).toEqual(listed.map(rank).sort((a, b) => b - a));
    expect(seen.some((k) => k.startsWith("NEW-"))).toBe(false);
  });

  it("sort=key: every issue exactly once in natural order while `updated` churns", async () => {
    const { tenant, keys } = await site(25);
    const seen = await walk(tenant.key, "sort=key&limit=4", async (page, sofar) => {
      for (const key of [sofar.at(-1), keys[keys.length - page]]) {
        if (key) {
          await updateIssue(tenant.id, key, { updated: hour(500 + page) });
        }
      }
    });
    expect(seen).toEqual(keys);
  });

  it("sort=updated: a row changed after it was listed comes again at its new place", async () => {
    const { tenant, keys } = await site(12);
    let moved = "";
    const seen = await walk(tenant.key, "sort=updated&limit=5", async (page, sofar) => {
      if (page === 1) {
        moved = sofar[0] ?? "";
        await updateIssue(tenant.id, moved, { updated: hour(900) });
      }
    });
    expect(seen.slice(0, 12).sort()).toEqual([...keys].sort());
    expect(seen.at(-1)).toBe(moved);
    expect(seen).toHaveLength(13);
  });

  it.each([
    "q=alpha",
    "q=alpha&sort=-priority",
    "sort=priority",
    "sort=-created",
    "sort=-key",
    "cf.customfield_1=x&sort=updated",
  ])("%s: small pages list exactly what one big page lists", async (query) => {
    const tenant = await createTenantWithKey(["read"]);
    const instanceId = (await insertInstance(tenant.id)).id;
    const priorities = ["Highest", "High", "Medium", "Low", "Lowest", "Unheard-of"];
    await seedIssues(
      tenant.id,
      instanceId,
      Array.from({ length: 17 }, (_, i) => ({
        key: `RANK-${i + 1}`,
        // Ranks repeat (ties by id) and differ (more mentions, summary vs description).
        summary: i % 3 === 0 ? "alpha alpha" : "beta",
        descriptionText: "alpha ".repeat(i % 4),
        priority: priorities[i % priorities.length],
        created: hour(i % 5),
        customFields: { customfield_1: i % 2 === 0 ? "x" : ["x", "y"] },
      })),
    );
    const all = await json<Page>(
      await call("GET", `/v1/issues?${query}&limit=100`, { token: tenant.key }),
    );
    const paged = await walk(tenant.key, `${query}&limit=3`, async () => {});
    expect(paged).toEqual(all.items.map((i) => i.key));
    expect(paged.length).toBeGreaterThan(6);
  });
});
