/**
 * `npm run bench` — the read path against the bare stack, at 100,000 and 1,000,000 issues.
 *
 * Local `wrangler dev` runs the Worker on one thread, so the honest yardstick is the stack itself:
 * `GET /health` (no database) measured in the same run. For each size it reports every read
 * (`GET /v1/issues/{key}`, `GET /v1/issues` with 10 filter sets and with 10 JQL queries) at 1 and
 * at 32 connections, with
 * the ratios the targets are stated in (README "Benchmarks"):
 *   1 connection:   read p95 / health p95                        (target ≤ 2)
 *   32 connections: read req/s / health req/s (≥ 0.5), read p95 / health p95 (≤ 2.5), no non-2xx;
 *                   healthz req/s / health req/s                 (≥ 0.7)
 *   1M vs 100k:     each read's p95 at 1M / its p95 at 100k      (≤ 1.5)
 *
 * The stack is what `npm run dev` runs by default — the embedded Postgres, the Neon driver's
 * loopback endpoints, `wrangler dev`, no Upstash — with the data bulk-seeded in SQL.
 *
 *   npm run bench [-- --seconds 5 --sizes 100000,1000000]
 */
import { closeSync, mkdtempSync, openSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchFlow } from "./lib/bench-flow.ts";
import { BENCH_JQL } from "./lib/bench-jql.ts";
import { startDatabaseStack } from "./lib/database-stack.ts";
import { call } from "./lib/demo-api.ts";
import { generateAdminToken, generateEncryptionKey, writeEnvFile } from "./lib/dev-env.ts";
import { freePort } from "./lib/embedded-postgres.ts";
import { spawnGroup, waitForHttp } from "./lib/processes.ts";
import { SEED_PROJECTS, seedBulkIssues, seedCatalog } from "./lib/seed-issues.ts";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof import("pg");
/** The part of autocannon's API used here (it ships no types). */
type OnResponse = (client: unknown, status: number, bytes: number, ms: number) => void;
type Result = { requests: { average: number }; non2xx: number; errors: number; timeouts: number };
type Autocannon = (
  options: object,
) => PromiseLike<Result> & { on(e: "response", f: OnResponse): void };
const autocannon = require("autocannon") as Autocannon;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "5" },
    sizes: { type: "string", default: "100000,1000000" },
  },
});
const sizes = args.sizes.split(",").map(Number);
const log = (line: string) => console.log(`\x1b[33m[bench]\x1b[0m ${line}`);
const stops: (() => Promise<unknown> | unknown)[] = [];

async function startStack(tmp: string) {
  const database = await startDatabaseStack({ log });
  stops.push(database.stop);
  const adminToken = generateAdminToken();
  const vars: Record<string, string> = {
    ENVIRONMENT: "development",
    DATABASE_URL: database.workerUrl,
    DB_WS_PROXY: database.wsProxy ?? "",
    DB_HTTP_ENDPOINT: database.httpEndpoint ?? "",
    ADMIN_TOKEN: adminToken,
    ENCRYPTION_KEY: generateEncryptionKey(),
    LOG_LEVEL: "warn",
  };
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
  return { url, adminToken, databaseUrl: database.adminUrl };
}

/** A tenant with limits out of the way, a read key, an instance, and its catalogue. */
async function prepare(stack: { url: string; adminToken: string; databaseUrl: string }) {
  const post = <T>(route: string, token: string, body: unknown, method = "POST") =>
    call<T>(method, `${stack.url}${route}`, { token, body });
  const tenant = await post<{ id: string }>("/v1/admin/tenants", stack.adminToken, {
    ...{ name: "Bench", slug: `bench-${Date.now().toString(36)}` },
  });
  await post(
    `/v1/admin/tenants/${tenant.id}`,
    stack.adminToken,
    { rateLimitPerMinute: 1_000_000 },
    "PATCH",
  );
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
  stops.push(() => pool.end());
  const query = (text: string, params: unknown[]) => pool.query(text, params);
  const scope = { tenantId: tenant.id, instanceId: instance.id };
  await seedCatalog(query, scope);
  let seeded = 0;
  const growTo = async (count: number) => {
    const started = Date.now();
    await seedBulkIssues(query, { ...scope, count: count - seeded, offset: seeded, parallel: 2 });
    await pool.query("analyze");
    log(
      `seeded ${count - seeded} issues (now ${count}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    seeded = count;
  };
  return { key, instanceId: instance.id, growTo, query };
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface Measured {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

async function measure(
  name: string,
  url: string,
  connections: number,
  headers: Record<string, string>,
  requests: unknown[],
): Promise<Measured> {
  const options = { url, headers, requests, connections };
  await autocannon({ ...options, duration: 2 }); // warm-up: isolates, pools, plans
  const times: number[] = [];
  const run = autocannon({ ...options, duration: Number(args.seconds) });
  run.on("response", (_client, _status, _bytes, ms) => times.push(ms));
  const result = await run;
  times.sort((a, b) => a - b);
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p)) as [number, number, number];
  return {
    name,
    rps: result.requests.average,
    p50,
    p95,
    p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

const FILTERS = [
  ...["", "project=CORE", "status=Done&sort=-created", "assignee=acc-07&sort=key", "q=login"],
  ...["q=timeout%20crash&project=WEB", "cf.customfield_10010=Atlas", "updatedFrom=(since)"],
  ...["label=label-3&priority=High", "statusCategory=indeterminate&sort=-priority"],
];

function scenarios(instanceId: string, issues: number) {
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  const keyPath = (row: number) => {
    const n = Math.floor(row) + 1; // seeded row n is PROJECT[n % 10]-(n / 10 + 1)
    return `/v1/issues/${SEED_PROJECTS[n % 10]}-${Math.floor(n / 10) + 1}?instanceId=${instanceId}`;
  };
  const random = (req: object) => ({ ...req, path: keyPath(Math.random() * issues) });
  return [
    { name: "GET /v1/issues/{key} (random)", requests: [{ method: "GET", setupRequest: random }] },
    ...FILTERS.map((filter) => ({
      name: `GET /v1/issues?${filter || "(no filter)"}`,
      requests: [
        {
          method: "GET",
          path: `/v1/issues?${filter.replace("(since)", since)}&instanceId=${instanceId}`,
        },
      ],
    })),
    ...BENCH_JQL.map((jql) => ({
      name: `JQL ${jql}`,
      requests: [{ method: "GET", path: `/v1/issues?${new URLSearchParams({ instanceId, jql })}` }],
    })),
  ];
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function runSize(url: string, key: string, instanceId: string, issues: number) {
  const auth = { authorization: `Bearer ${key}` };
  const byConnections = new Map<number, Measured[]>();
  // Warm the whole path once (isolate, JIT, pools, plans) so the first scenario is not the cold one.
  await measure("warm-up", url, 8, auth, [
    { method: "GET", path: "/health" },
    { method: "GET", path: `/v1/issues?instanceId=${instanceId}` },
  ]);
  for (const connections of [1, 32]) {
    const health = await measure("GET /health (no database)", url, connections, {}, [
      { method: "GET", path: "/health" },
    ]);
    const healthz = await measure("GET /healthz (one round trip)", url, connections, {}, [
      { method: "GET", path: "/healthz" },
    ]);
    const reads: Measured[] = [];
    for (const s of scenarios(instanceId, issues)) {
      reads.push(await measure(s.name, url, connections, auth, s.requests));
    }
    const all = [health, healthz, ...reads];
    byConnections.set(connections, all);
    console.log(
      `\n${issues.toLocaleString("en")} issues, ${connections} connection(s), ${args.seconds} s each`,
    );
    console.table(
      all.map((m) => ({
        scenario: m.name,
        "req/s": Math.round(m.rps),
        "p50 ms": round(m.p50),
        "p95 ms": round(m.p95),
        "p99 ms": round(m.p99),
        "p95 / health p95": round(m.p95 / health.p95, 2),
        "req/s / health req/s": round(m.rps / health.rps, 2),
        "non-2xx": m.failed,
      })),
    );
  }
  return byConnections;
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "ds-bench-"));
  stops.push(() => rmSync(tmp, { recursive: true, force: true }));
  const stack = await startStack(tmp);
  log(`stack: ${stack.url} (embedded Postgres, SQL-over-HTTP, wrangler dev)`);
  const { key, instanceId, growTo, query } = await prepare(stack);
  const results = new Map<number, Map<number, Measured[]>>();
  for (const size of sizes) {
    await growTo(size);
    results.set(size, await runSize(stack.url, key, instanceId, size));
    if (size === sizes[0]) {
      // Flow analytics at the first size (target: p95 ≤ 100 ms at 100,000 issues).
      const flow = await benchFlow({
        url: stack.url,
        headers: { authorization: `Bearer ${key}` },
        instanceId,
        query,
        measure: (name, url, headers, requests) => measure(name, url, 1, headers, requests),
      });
      console.log(`
flow analytics at ${size.toLocaleString("en")} issues, 1 connection`);
      console.table([
        {
          scenario: flow.name,
          "req/s": Math.round(flow.rps),
          "p50 ms": round(flow.p50),
          "p95 ms": round(flow.p95),
          "p99 ms": round(flow.p99),
          "non-2xx": flow.failed,
        },
      ]);
    }
  }
  const [small, large] = [sizes[0], sizes.at(-1)];
  if (small !== undefined && large !== undefined && small !== large) {
    const before = results.get(small)?.get(1) ?? [];
    const after = results.get(large)?.get(1) ?? [];
    console.log(
      `\nread p95 at ${large.toLocaleString("en")} vs ${small.toLocaleString("en")} issues (1 connection)`,
    );
    console.table(
      after.slice(2).map((m, i) => ({
        scenario: m.name,
        [`p95 ms @${small}`]: round(before[i + 2]?.p95 ?? Number.NaN),
        [`p95 ms @${large}`]: round(m.p95),
        ratio: round(m.p95 / (before[i + 2]?.p95 ?? Number.NaN), 2),
      })),
    );
  }
}

try {
  await main();
} finally {
  for (let stop = stops.pop(); stop; stop = stops.pop()) {
    await Promise.resolve(stop()).catch((error: unknown) => console.error("[bench] stop:", error));
  }
}
