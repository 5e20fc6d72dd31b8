/**
 * Async iterators over Jira's two pagination styles:
 * - offset (`startAt`/`maxResults`, ending on `isLast`, on `total`, or on an empty/short page);
 * - token (`nextPageToken`, ending when `isLast` is true or the token is absent).
 */

export interface OffsetPage<T> {
  items: T[];
  total?: number | null;
  isLast?: boolean | null;
}

/**
 * Iterate offset-paginated pages. `fetchPage(startAt)` asks for `pageSize` items. Stops on
 * `isLast`, when `total` is reached, on an empty page, or (when neither `isLast` nor `total` is
 * known) on a page shorter than `pageSize`.
 */
export async function* paginateOffset<T>(
  pageSize: number,
  fetchPage: (startAt: number) => Promise<OffsetPage<T>>,
): AsyncGenerator<T[], void, undefined> {
  let startAt = 0;
  for (;;) {
    const page = await fetchPage(startAt);
    if (page.items.length === 0) {
      return;
    }
    yield page.items;
    startAt += page.items.length;
    if (page.isLast === true) {
      return;
    }
    const hasTotal = typeof page.total === "number";
    if (hasTotal && startAt >= (page.total ?? 0)) {
      return;
    }
    if (!hasTotal && page.isLast !== false && page.items.length < pageSize) {
      return;
    }
  }
}

export interface TokenPage {
  nextPageToken?: string | null;
  isLast?: boolean | null;
}

/** Iterate token-paginated pages; guards against a server that repeats the same token. */
export async function* paginateToken<P extends TokenPage>(
  fetchPage: (nextPageToken: string | undefined) => Promise<P>,
): AsyncGenerator<P, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(token);
    yield page;
    const next = page.nextPageToken ?? undefined;
    if (page.isLast === true || next === undefined || next === "") {
      return;
    }
    if (seen.has(next)) {
      throw new Error("Jira returned a nextPageToken twice; stopping to avoid an endless loop");
    }
    seen.add(next);
    token = next;
  }
}

/** Flatten an iterator of pages into an iterator of items. */
export async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) {
    yield* page;
  }
}

/** Drain an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
  }
  return out;
}

/** Split a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}
