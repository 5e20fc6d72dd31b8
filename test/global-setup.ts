/**
 * Starts the real services the suite talks to — the embedded Postgres (from npm) with the
 * endpoints the Neon driver needs (WebSocket proxy, SQL-over-HTTP), Redis behind an Upstash-
 * compatible HTTP shim, and the Jira Cloud simulator — and hands their addresses to the tests.
 */
import type { TestProject } from "vitest/node";
import { startDatabaseStack } from "../scripts/lib/database-stack.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Worker's login: member of app/ds_system/ds_reader only, NOINHERIT (rights only via SET ROLE). */
    databaseUrl: string;
    /** The migration/admin login, for fixtures that must see every tenant. */
    databaseAdminUrl: string;
    wsProxy: string;
    /** Neon's SQL-over-HTTP protocol on loopback (`/sql`); `/stats` counts its requests. */
    dbHttpEndpoint: string;
    upstashUrl: string;
    upstashToken: string;
    jiraSimUrl: string;
    /** Fake OpenAI, Anthropic and Workers AI endpoints (test/ai-fakes/server.ts). */
    aiFakeUrl: string;
  }
}

type Stop = () => Promise<void>;

export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const database = await startDatabaseStack();
  stops.push(database.stop);

  const upstash = await startUpstash();
  stops.push(upstash.stop);

  const { startJiraSimulator } = await import("./jira-sim/server.ts");
  const sim = await startJiraSimulator({ port: 0, issues: 20, seed: 1 });
  stops.push(sim.close);

  const { startAiFakes } = await import("./ai-fakes/server.ts");
  const aiFakes = await startAiFakes();
  stops.push(aiFakes.close);

  project.provide("databaseUrl", database.workerUrl);
  project.provide("databaseAdminUrl", database.adminUrl);
  project.provide("wsProxy", database.wsProxy ?? "");
  project.provide("dbHttpEndpoint", database.httpEndpoint ?? "");
  project.provide("upstashUrl", upstash.url);
  project.provide("upstashToken", upstash.token);
  project.provide("jiraSimUrl", sim.url);
  project.provide("aiFakeUrl", aiFakes.url);

  return async () => {
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => console.error("teardown:", error));
    }
  };
}

async function startUpstash(): Promise<{ url: string; token: string; stop: Stop }> {
  const { startRedis } = await import("../scripts/lib/redis-server.ts");
  const { startUpstashShim } = await import("../scripts/lib/upstash-shim.ts");
  const redis = await startRedis();
  const shim = await startUpstashShim({ redisPort: redis.port, token: "test-upstash-token" });
  return {
    url: shim.url,
    token: shim.token,
    stop: async () => {
      await shim.close();
      await redis.stop();
    },
  };
}
