import { createPool } from "../../src/infrastructure/db/database";
import { testEnv } from "./env";

/**
 * Runs SQL as the admin login (bypasses RLS): only for fixtures and for checking what is really
 * stored. Application code never has this.
 */
export async function adminQuery<T = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const pool = createPool({ url: testEnv.DATABASE_ADMIN_URL, wsProxy: testEnv.DB_WS_PROXY });
  try {
    const result = await pool.query(text, params);
    return result.rows as T[];
  } finally {
    await pool.end();
  }
}
