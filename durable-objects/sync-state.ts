/**
 * The Durable Object's own SQLite storage: a small key/value table for state (JSON), counters,
 * and the recent webhook delivery ids used to drop duplicates. Every write is synchronous and
 * durable before the next await, so a crash never loses acknowledged progress.
 */
export class SyncStateStore {
  readonly #sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.migrate();
  }

  migrate(): void {
    this.#sql.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    // `queued`: the delivery's queue message was seen too (it may be applied first directly).
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL, queued INTEGER NOT NULL DEFAULT 0)",
    );
    this.#sql.exec(
      "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    );
  }

  get<T>(key: string): T | undefined {
    const row = this.#sql
      .exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key)
      .toArray()[0];
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    if (value === undefined) {
      this.#sql.exec("DELETE FROM kv WHERE key = ?", key);
      return;
    }
    this.#sql.exec(
      "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  count(name: string, by = 1): void {
    if (by === 0) {
      return;
    }
    this.#sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + ?",
      name,
      by,
      by,
    );
  }

  counters(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const row of this.#sql.exec<{ name: string; value: number }>(
      "SELECT name, value FROM counters",
    )) {
      out[row.name] = row.value;
    }
    return out;
  }

  /** undefined: never applied; otherwise whether its queue message was seen already. */
  delivery(id: string): { queued: boolean } | undefined {
    const row = this.#sql
      .exec<{ queued: number }>("SELECT queued FROM deliveries WHERE id = ?", id)
      .toArray()[0];
    return row ? { queued: row.queued === 1 } : undefined;
  }

  markQueued(id: string): void {
    this.#sql.exec("UPDATE deliveries SET queued = 1 WHERE id = ?", id);
  }

  /** Remembers applied deliveries; Jira retries for up to a day, so older ids are forgotten. */
  rememberDeliveries(ids: readonly string[], now: number, ttlMs: number, queued: boolean): void {
    for (const id of ids) {
      this.#sql.exec(
        "INSERT INTO deliveries (id, seen_at, queued) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET queued = max(queued, excluded.queued)",
        id,
        now,
        queued ? 1 : 0,
      );
    }
    this.#sql.exec("DELETE FROM deliveries WHERE seen_at < ?", now - ttlMs);
  }
}
