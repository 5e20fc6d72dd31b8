import { env } from "cloudflare:workers";
import type { Env } from "../../src/env";

/** The Worker's bindings plus the test-only ones from vitest.config.ts. */
export interface TestEnv extends Env {
  DATABASE_ADMIN_URL: string;
  DB_WS_PROXY: string;
  JIRA_SIM_URL: string;
  AI_FAKE_URL: string;
}

export const testEnv = env as unknown as TestEnv;
