/**
 * `npm run bench` — read latency of the issues API over 100,000 issues, next to a bare database
 * round trip (GET /healthz) through the same stack, so the ratio can be read.
 *
 * Starts the stack from the pieces `npm run dev` uses (scripts/lib): Postgres (Debian's server
 * when installed, else embedded PGlite), migrations, the WebSocket proxy, Redis behind the
 * Upstash shim when `redis-server` exists (the production cache and per-key limits), and
 * `wrangler dev` — with the tenant rate limit raised, or 32 connections would measure 429s.
 * To target a running `npm run dev` instead, set BENCH_URL, BENCH_ADMIN_TOKEN and DATABASE_URL
 * (its admin login); its rate limits then apply as configured.
 *
 *   npm run bench [-- --seconds 20 --connections 32 --issues 100000]
 */
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchFlow } from "./lib/bench-flow.ts";
import { call } from "./lib/demo-api.ts";
import { generateAdminToken, generateEncryptionKey, writeEnvFile } from "./lib/dev-env.ts";
import { migrateDatabase } from "./lib/migrate.ts";
import { findPostgresBinaries, freePort, startPostgres } from "./lib/postgres-server.ts";
import { spawnGroup, waitForHttp } from "./lib/processes.ts";
import { findRedisServer, startRedis } from "./lib/redis-server.ts";
import { SEED_PROJECTS, seedBulkIssues, seedCatalog } from "./lib/seed-issues.ts";
import { startUpstashShim } from "./lib/upstash-shim.ts";
import { startWsProxy } from "./lib/ws-proxy.ts";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof import("pg");
/** The part of autocannon's API used here (it ships no types). */
type OnResponse = (client: unknown, status: number, bytes: number, ms: number) => void;
type Result = { requests: { average: number }; non2xx: number; errors: number };
type Autocannon = (
  options: object,
) => PromiseLike<Result> & { on(e: "response", f: OnResponse): void };
const autocannon = require("autocannon") as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    connections: { type: "string", default: "32" },
    issues: { type: "string", default: "100000" },
  },
});
const log = (line: string) => console.log(`\x1b[33m[bench]\x1b[0m ${line}`);
const stops: (() => Promise<unknown> | unknown)[] = [];

async function startStack(tmp: string) {
  const binDir = findPostgresBinaries();
  const database = binDir
    ? await startPostgres(binDir)
    : await (await import("./lib/pglite-server.ts")).startPglite({ dataDir: path.join(tmp, "pg") });
  stops.push("stop" in database ? database.stop : database.close);
  await migrateDatabase(database.url);
  const proxy = await startWsProxy();
  stops.push(proxy.close);
  const adminToken = generateAdminToken();
  const vars: Record<string, string> = {
    ...{ ENVIRONMENT: "development", DATABASE_URL: database.url, DB_WS_PROXY: proxy.address },
    ...{ ADMIN_TOKEN: adminToken, ENCRYPTION_KEY: generateEncryptionKey(), LOG_LEVEL: "warn" },
    TENANT_RATE_LIMIT_PER_MINUTE: "100000000",
  };
  if (findRedisServer()) {
    const redis = await startRedis();
    const shim = await startUpstashShim({ redisPort: redis.port, token: "bench-token" });
    stops.push(redis.stop, shim.close);
    Object.assign(vars, { UPSTASH_REDIS_REST_URL: shim.url, UPSTASH_REDIS_REST_TOKEN: shim.token });
  }
  writeEnvFile(path.join(tmp, "bench.env"), vars);
  const port = await freePort();
  const logFd = openSync(path.join(tmp, "wrangler.log"), "a");
  const wrangler = spawnGroup(
    process.execPath,
    [
      ...[path.join(root, "node_modules/.bin/wrangler"), "dev", "--local", "--ip", "127.0.0.1"],
      ...["--port", String(port), "--persist-to", path.join(tmp, "wrangler")],
      ...["--env-file", path.join(tmp, "bench.env"), "--show-interactive-dev-session=false"],
    ],
    {
      cwd: root,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", XDG_CONFIG_HOME: `${root}/.config` },
    },
  );
  closeSync(logFd);
  stops.push(() => wrangler.stop());
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/health`, 120_000, () => false)).ok) {
    throw new Error(`wrangler dev did not start; see ${tmp}/wrangler.log`);
  }
  const label = `${binDir ? "Postgres server" : "PGlite"}${vars.UPSTASH_REDIS_REST_URL ? " + Redis (Upstash shim)" : ""}`;
  return { url, adminToken, databaseUrl: database.url, label };
}

/** A tenant, a read key without a practical rate limit, an instance, and the bulk data. */
async function prepare(stack: { url: string; adminToken: string; databaseUrl: string }) {
  const post = <T>(route: string, token: string, body: unknown) =>
    call<T>("POST", `${stack.url}${route}`, { token, body });
  const slug = `bench-${Date.now().toString(36)}`;
  const tenant = await post<{ id: string }>("/v1/admin/tenants", stack.adminToken, {
    ...{ name: "Bench", slug },
  });
  const { key } = await post<{ key: string }>(
    `/v1/admin/tenants/${tenant.id}/api-keys`,
    stack.adminToken,
    { name: "bench", scopes: ["read", "write"], rateLimitPerMinute: 100_000 },
  );
  const auth = { type: "basic", email: "b@example.com", apiToken: "x" };
  const instance = await post<{ id: string }>("/v1/instances?verify=false", key, {
    ...{ name: "Bench", baseUrl: "http://127.0.0.1:9/jira", auth },
  });
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
  const query = (text: string, params: unknown[]) => pool.query(text, params);
  const started = Date.now();
  const scope = { tenantId: tenant.id, instanceId: instance.id };
  await seedCatalog(query, scope);
  await seedBulkIssues(query, { ...scope, count: Number(args.issues), parallel: 4 });
  await pool.query("analyze");
  await pool.end();
  log(`seeded ${args.issues} issues in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { key, instanceId: instance.id };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function measure(
  name: string,
  url: string,
  headers: Record<string, string>,
  requests: unknown[],
) {
  const options = { url, headers, requests, connections: Number(args.connections) };
  await autocannon({ ...options, duration: 3 }); // warm-up: isolates, caches, connections
  const times: number[] = [];
  const run = autocannon({ ...options, duration: Number(args.seconds) });
  run.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  const result = await run;
  times.sort((a, b) => a - b);
  const failed = result.non2xx + result.errors;
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p)) as [number, number, number];
  return { name, rps: result.requests.average, p50, p95, p99, failed };
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "ds-bench-"));
  stops.push(() => rmSync(tmp, { recursive: true, force: true }));
  const { BENCH_URL: url, BENCH_ADMIN_TOKEN: adminToken = "", DATABASE_URL = "" } = process.env;
  const running = { url, adminToken, databaseUrl: DATABASE_URL, label: "a running npm run dev" };
  const stack = url ? { ...running, url } : await startStack(tmp);
  log(`stack: ${stack.url} (${stack.label})`);
  const { key, instanceId } = await prepare(stack);
  const auth = { authorization: `Bearer ${key}` };
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const filters = [
    ...["", "project=CORE", "status=Done&sort=-created", "assignee=acc-07&sort=key", "q=login"],
    ...["q=timeout%20crash&project=WEB", "cf.customfield_10010=Atlas", `updatedFrom=${since}`],
    ...["label=label-3&priority=High", "statusCategory=indeterminate&sort=-priority"],
  ].map((q) => ({ method: "GET", path: `/v1/issues?${q}&instanceId=${instanceId}` }));
  const keyPath = (row: number) => {
    const n = Math.floor(row) + 1; // seeded row n is PROJECT[n % 10]-(n / 10 + 1)
    return `/v1/issues/${SEED_PROJECTS[n % 10]}-${Math.floor(n / 10) + 1}?instanceId=${instanceId}`;
  };
  const hot = Array.from({ length: 200 }, (_, i) => ({ method: "GET", path: keyPath(i * 37) }));
  const random = (req: object) => ({ ...req, path: keyPath(Math.random() * Number(args.issues)) });
  const cold = [{ method: "GET", setupRequest: random }];
  const healthz = [{ method: "GET", path: "/healthz" }];
  const results = [
    await measure("GET /healthz (one DB round trip)", stack.url, {}, healthz),
    await measure("GET /v1/issues (10 filter sets)", stack.url, auth, filters),
    await measure("GET /v1/issues/{key} (200 hot keys)", stack.url, auth, hot),
    await measure("GET /v1/issues/{key} (random of all)", stack.url, auth, cold),
  ];
  const flowDb = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 });
  const flowQuery = (text: string, params: unknown[]) => flowDb.query(text, params);
  results.push(
    await benchFlow({ url: stack.url, headers: auth, instanceId, query: flowQuery, measure }),
  );
  await flowDb.end();
  const base = results[0]?.p50 ?? Number.NaN;
  console.log(`\n${args.connections} connections, ${args.seconds} s each, ${args.issues} issues`);
  console.table(
    results.map(({ name, rps, p50, p95, p99, failed }) => ({
      scenario: name,
      "req/s": Math.round(rps),
      "p50 ms": Number(p50.toFixed(1)),
      "p95 ms": Number(p95.toFixed(1)),
      "p99 ms": Number(p99.toFixed(1)),
      "p50 / healthz p50": Number((p50 / base).toFixed(2)),
      "non-2xx": failed,
    })),
  );
}

try {
  await main();
} finally {
  for (let stop = stops.pop(); stop; stop = stops.pop()) {
    await Promise.resolve(stop()).catch((error: unknown) => console.error("[bench] stop:", error));
  }
}
