/**
 * `npm run bench:sync` — measures the sync engine end to end on loopback.
 *
 * Starts the stack the way `npm run dev` does (embedded Postgres → migrations → the Neon driver's
 * loopback endpoints → `wrangler dev`), but on its own free port with a throwaway database (never
 * `.data/`), and the Jira simulator with 10,000 issues. Then:
 *
 *   1. backfill: times it, prints issues per second and Jira requests per issue (the simulator's
 *      own count and our counter), also without the heavy issues' completion calls;
 *   2. webhooks: registers the Worker as the simulator's webhook receiver and, 200 times, renames
 *      an issue with `webhook: true` at t0 and polls until the new summary is queryable (through
 *      GET /v1/issues/{key} when the Worker serves it, else straight from Postgres) at t1;
 *      prints p50/p95 of t1 − t0.
 *
 * Stops everything it started and exits 0 (1 if a stage failed). Runtime ≈ 1–2 minutes.
 *
 *   npm run bench:sync [-- --issues 10000 --webhooks 200 --concurrency 4]
 *     --events-batch-timeout S   run with a copy of wrangler.toml whose sync-events consumer has
 *                  max_batch_timeout = S (what-if for the webhook latency; the file is untouched)
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startJiraSimulator } from "../test/jira-sim/server.ts";
import {
  call,
  createTenantWithKey,
  describeBackfill,
  registerInstance,
  type SyncStatus,
  servedPaths,
  waitForBackfill,
} from "./lib/demo-api.ts";
import { generateAdminToken, generateEncryptionKey, writeEnvFile } from "./lib/dev-env.ts";
import { startDatabaseStack } from "./lib/database-stack.ts";
import { freePort } from "./lib/embedded-postgres.ts";
import { sleep, spawnGroup, waitForHttp } from "./lib/processes.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
const pg = createRequire(import.meta.url)("pg") as typeof import("pg");

const { values: args } = parseArgs({
  options: {
    issues: { type: "string", default: "10000" },
    webhooks: { type: "string", default: "200" },
    concurrency: { type: "string", default: "4" },
    seed: { type: "string", default: "7" },
    "events-batch-timeout": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (args.help) {
  console.log("usage: npm run bench:sync [-- --issues N --webhooks N --concurrency N --seed N]");
  process.exit(0);
}
const ISSUES = positive("issues");
const WEBHOOKS = positive("webhooks");
const CONCURRENCY = positive("concurrency");
const SEED = positive("seed");
const BACKFILL_TIMEOUT_MS = 150_000;
const VISIBLE_TIMEOUT_MS = 15_000;
const POLL_MS = 20;

const log = (line: string) => console.log(`\x1b[35m[bench]\x1b[0m ${line}`);

// ── everything started is stopped again, in reverse order, also on Ctrl-C ──────────────────
const cleanups: { name: string; run: () => unknown }[] = [];
let stopping = false;

async function stopAll(): Promise<void> {
  stopping = true;
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    try {
      await cleanup.run();
    } catch (error) {
      console.error(`[bench] stopping ${cleanup.name} failed:`, error);
    }
  }
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (!stopping) {
      log(`${signal}: stopping…`);
      void stopAll().then(() => process.exit(130));
    }
  });
}

interface Stack {
  apiUrl: string;
  adminToken: string;
  databaseUrl: string;
  database: string;
  wranglerLog: string;
}

async function startStack(tmp: string): Promise<Stack> {
  const stack = await startDatabaseStack();
  cleanups.push({ name: "database", run: stack.stop });
  const databaseUrl = stack.adminUrl;
  const database = stack.label;
  const adminToken = generateAdminToken();
  const bindings: Record<string, string> = {
    ENVIRONMENT: "development",
    DATABASE_URL: stack.workerUrl,
    DB_WS_PROXY: stack.wsProxy ?? "",
    DB_HTTP_ENDPOINT: stack.httpEndpoint ?? "",
    ADMIN_TOKEN: adminToken,
    ENCRYPTION_KEY: generateEncryptionKey(),
    LOG_LEVEL: "warn",
    TENANT_RATE_LIMIT_PER_MINUTE: "1000000",
  };
  const envFile = path.join(tmp, "bench.env");
  writeEnvFile(envFile, bindings);

  const port = await freePort();
  const wranglerLog = path.join(tmp, "wrangler.log");
  const logFd = openSync(wranglerLog, "a");
  const wrangler = spawnGroup(
    process.execPath,
    [
      wranglerBin,
      "dev",
      "--local",
      ...configArgs(tmp),
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      path.join(tmp, "wrangler"),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: root,
      stdio: ["ignore", logFd, logFd],
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_HIDE_BANNER: "true",
        XDG_CONFIG_HOME: path.join(root, ".config"),
      },
    },
  );
  closeSync(logFd);
  cleanups.push({ name: "wrangler", run: () => wrangler.stop() });
  let exited = false;
  void wrangler.exited.then(() => {
    exited = true;
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  const health = await waitForHttp(`${apiUrl}/health`, 120_000, () => exited || stopping);
  if (!health.ok) {
    throw new Error(`wrangler dev did not become healthy:\n${tail(wranglerLog)}`);
  }
  return { apiUrl, adminToken, databaseUrl, database, wranglerLog };
}

interface RequestStats {
  total: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  maxConcurrent: number;
  maxPerSecond: number;
}

interface BackfillResult {
  seconds: number;
  issuesSynced: number;
  status: SyncStatus;
  simRequests: RequestStats;
}

async function benchBackfill(
  stack: Stack,
  simUrl: string,
  apiKey: string,
  instanceId: string,
): Promise<BackfillResult> {
  await call("POST", `${simUrl}/_sim/requests/reset`);
  const started = Date.now();
  await call("POST", `${stack.apiUrl}/v1/instances/${instanceId}/sync/backfill`, {
    token: apiKey,
  });
  let lastPrinted = 0;
  const status = await waitForBackfill(stack.apiUrl, apiKey, instanceId, {
    intervalMs: 250,
    timeoutMs: BACKFILL_TIMEOUT_MS,
    onProgress: (current) => {
      if (Date.now() - lastPrinted >= 5_000) {
        lastPrinted = Date.now();
        const elapsed = ((Date.now() - started) / 1000).toFixed(0);
        log(`${describeBackfill(current, ISSUES)} · ${elapsed} s`);
      }
    },
  });
  const wall = (Date.now() - started) / 1000;
  if (!status) {
    throw new Error("stopped");
  }
  if (status.backfill.status !== "done") {
    throw new Error(`the backfill failed: ${status.backfill.error ?? status.lastError}`);
  }
  const simRequests = await call<RequestStats>("GET", `${simUrl}/_sim/requests`);
  // The Durable Object's own timestamps, when present, exclude our polling granularity.
  const { startedAt, finishedAt } = status.backfill;
  const measured =
    startedAt && finishedAt ? (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000 : wall;
  return {
    seconds: measured > 0 ? measured : wall,
    issuesSynced: status.backfill.issuesSynced,
    status,
    simRequests,
  };
}

/** Per-issue requests that only the heavy issues need (comments/changelog beyond what search embeds). */
const isCompletionRoute = (route: string) =>
  /\/issue\/\{[^}]+\}\/(comment|changelog)\b/.test(route) || /changelog\/bulkfetch/.test(route);

interface Probe {
  key: string;
  /** Wall-clock t0 (ms since the epoch), to match the simulator's delivery log. */
  startedAt: number;
  /** t1 − t0 in ms. */
  latency: number;
}

interface LatencyResult {
  via: string;
  samples: number[];
  /** t0 → the Worker's 202 (as the simulator logged it), per matched probe. */
  accepted: number[];
  /** The Worker's 202 → queryable (queue batching + applying), per matched probe. */
  applied: number[];
  failures: number;
  seconds: number;
}

interface DeliveryLog {
  deliveries: { issueKey: string | null; attempts: { status: number | null; at: string }[] }[];
}

/** Splits each probe at the moment the Worker answered the simulator's delivery (202). */
function splitAtDelivery(probes: Probe[], log: DeliveryLog) {
  const acceptedAt = new Map<string, number[]>();
  for (const delivery of log.deliveries) {
    const ok = delivery.attempts.find(
      (a) => a.status !== null && a.status >= 200 && a.status < 300,
    );
    if (delivery.issueKey && ok) {
      const times = acceptedAt.get(delivery.issueKey) ?? [];
      times.push(Date.parse(ok.at));
      acceptedAt.set(delivery.issueKey, times);
    }
  }
  const accepted: number[] = [];
  const applied: number[] = [];
  for (const probe of probes) {
    const at = (acceptedAt.get(probe.key) ?? [])
      .filter((time) => time >= probe.startedAt - 5)
      .sort((a, b) => a - b)[0];
    if (at !== undefined && at - probe.startedAt <= probe.latency + 5) {
      accepted.push(Math.max(0, at - probe.startedAt));
      applied.push(Math.max(0, probe.latency - (at - probe.startedAt)));
    }
  }
  return { accepted, applied };
}

async function benchWebhooks(
  stack: Stack,
  simUrl: string,
  apiKey: string,
  instanceId: string,
  webhookUrl: string,
  webhookSecret: string,
  keys: string[],
): Promise<LatencyResult> {
  await call("POST", `${simUrl}/_sim/webhooks`, {
    body: { url: webhookUrl, secret: webhookSecret },
  });
  const paths = await servedPaths(stack.apiUrl);
  const viaApi = paths.has("/v1/issues/{key}");
  const client = viaApi ? undefined : new pg.Client({ connectionString: stack.databaseUrl });
  if (client) {
    await client.connect();
    cleanups.push({ name: "pg client", run: () => client.end() });
  }
  const via = viaApi ? "GET /v1/issues/{key}" : "Postgres (issues.summary)";

  const summaryOf = async (key: string): Promise<string | undefined> => {
    if (client) {
      const result = await client.query<{ summary: string }>(
        "select summary from issues where instance_id = $1 and key = $2",
        [instanceId, key],
      );
      return result.rows[0]?.summary;
    }
    const issue = await call<{ summary?: string }>(
      "GET",
      `${stack.apiUrl}/v1/issues/${encodeURIComponent(key)}?instanceId=${instanceId}`,
      { token: apiKey },
    );
    return issue.summary;
  };

  const probes: Probe[] = [];
  let failures = 0;
  let next = 0;
  const started = Date.now();
  const worker = async (lane: number) => {
    // Each lane renames only its own issues, so concurrent probes never race on one issue.
    const own = keys.filter((_, i) => i % CONCURRENCY === lane);
    for (let index = next++, round = 0; index < WEBHOOKS; index = next++, round++) {
      const key = own[round % own.length] ?? "";
      const summary = `bench ${index} ${Math.random().toString(36).slice(2, 10)}`;
      const startedAt = Date.now();
      const t0 = performance.now();
      await call("PATCH", `${simUrl}/_sim/issues/${encodeURIComponent(key)}`, {
        body: { fields: { summary }, webhook: true },
      });
      let seen = false;
      while (performance.now() - t0 < VISIBLE_TIMEOUT_MS) {
        if ((await summaryOf(key).catch(() => undefined)) === summary) {
          seen = true;
          break;
        }
        await sleep(POLL_MS);
      }
      if (seen) {
        probes.push({ key, startedAt, latency: performance.now() - t0 });
      } else {
        failures++;
      }
      if ((probes.length + failures) % 50 === 0) {
        log(`webhooks: ${probes.length + failures}/${WEBHOOKS} measured`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, lane) => worker(lane)));
  const seconds = (Date.now() - started) / 1000;
  const split = splitAtDelivery(
    probes,
    await call<DeliveryLog>("GET", `${simUrl}/_sim/webhooks/deliveries`),
  );
  return { via, samples: probes.map((probe) => probe.latency), ...split, failures, seconds };
}

/** Keys spread over the whole site, excluding the few heavy issues. */
async function pickKeys(simUrl: string, count: number): Promise<string[]> {
  const page = await call<{ issues: { key: string; fields?: { comment?: { total?: number } } }[] }>(
    "GET",
    `${simUrl}/_sim/issues?maxResults=${Math.min(ISSUES, 1000)}`,
  );
  const keys = page.issues
    .filter((issue) => (issue.fields?.comment?.total ?? 0) < 100)
    .map((issue) => issue.key);
  const step = Math.max(1, Math.floor(keys.length / count));
  const picked: string[] = [];
  for (let i = 0; i < keys.length && picked.length < count; i += step) {
    const key = keys[i];
    if (key) {
      picked.push(key);
    }
  }
  return picked;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] ?? 0;
  const b = sorted[high] ?? a;
  return a + (b - a) * (rank - low);
}

function table(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((column) =>
    Math.max(...rows.map((row) => row[column as 0 | 1 | 2].length)),
  );
  const line = (row: [string, string, string]) =>
    `  ${row[0].padEnd(widths[0] ?? 0)}  ${row[1].padStart(widths[1] ?? 0)}  ${row[2]}`;
  const rule = `  ${"─".repeat((widths[0] ?? 0) + (widths[1] ?? 0) + (widths[2] ?? 0) + 4)}`;
  return [line(rows[0] ?? ["", "", ""]), rule, ...rows.slice(1).map(line)].join("\n");
}

async function main(): Promise<number> {
  const benchStart = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "ds-bench-"));
  cleanups.push({ name: "temp folder", run: () => rmSync(tmp, { recursive: true, force: true }) });
  log(`temp folder ${tmp}; ${ISSUES} issues, ${WEBHOOKS} webhooks, concurrency ${CONCURRENCY}`);

  const [stack, sim] = await Promise.all([
    startStack(tmp),
    (async () => {
      const handle = await startJiraSimulator({ port: 0, issues: ISSUES, seed: SEED });
      cleanups.push({ name: "Jira simulator", run: handle.close });
      return handle;
    })(),
  ]);
  log(
    `stack up in ${((Date.now() - benchStart) / 1000).toFixed(1)} s: Worker ${stack.apiUrl}, ` +
      `${stack.database}; simulator ${sim.url}`,
  );

  const tenant = await createTenantWithKey(stack.apiUrl, stack.adminToken, {
    name: "Bench",
    slugBase: "bench",
    rateLimitPerMinute: 100_000,
  });
  const webhookSecret = `whsec_bench_${Math.random().toString(36).slice(2)}`;
  const instance = await registerInstance(stack.apiUrl, tenant.apiKey, sim, {
    name: "Bench Jira (simulator)",
    webhookSecret,
  });

  log("backfill started");
  const backfill = await benchBackfill(stack, sim.url, tenant.apiKey, instance.id);
  const { simRequests } = backfill;
  const completion = Object.entries(simRequests.byRoute)
    .filter(([route]) => isCompletionRoute(route))
    .reduce((sum, [, count]) => sum + count, 0);
  const ours = backfill.status.counters.jiraRequests ?? 0;
  log(
    `backfill done: ${backfill.issuesSynced} issues in ${backfill.seconds.toFixed(1)} s; ` +
      `simulator saw ${simRequests.total} requests`,
  );
  for (const [route, count] of Object.entries(simRequests.byRoute).sort((a, b) => b[1] - a[1])) {
    console.log(
      `      ${String(count).padStart(6)}  ${route}${isCompletionRoute(route) ? "  (completion)" : ""}`,
    );
  }

  const keys = await pickKeys(sim.url, Math.max(CONCURRENCY * 10, 100));
  log(`webhooks: ${WEBHOOKS} renames with webhook:true, ${CONCURRENCY} at a time`);
  const latency = await benchWebhooks(
    stack,
    sim.url,
    tenant.apiKey,
    instance.id,
    instance.webhookUrl,
    webhookSecret,
    keys,
  );
  const status = await call<SyncStatus>("GET", `${stack.apiUrl}/v1/instances/${instance.id}/sync`, {
    token: tenant.apiKey,
  });
  const sorted = [...latency.samples].sort((a, b) => a - b);
  const acceptedSorted = [...latency.accepted].sort((a, b) => a - b);
  const appliedSorted = [...latency.applied].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p95 = percentile(sorted, 95);
  const max = sorted.at(-1) ?? Number.NaN;
  const perIssue = simRequests.total / backfill.issuesSynced;
  const perIssueBase = (simRequests.total - completion) / backfill.issuesSynced;
  const ms = (value: number) => `${Math.round(value)} ms`;
  const verdict = (ok: boolean) => (ok ? "✓" : "✗");

  console.log(
    `\n${table([
      ["measure", "value", "target / note"],
      ["issues backfilled", String(backfill.issuesSynced), `of ${ISSUES} in the simulator`],
      [
        "backfill time",
        `${backfill.seconds.toFixed(1)} s`,
        "Durable Object's startedAt → finishedAt",
      ],
      ["issues per second", (backfill.issuesSynced / backfill.seconds).toFixed(0), ""],
      [
        "Jira requests (simulator)",
        String(simRequests.total),
        `peak ${simRequests.maxPerSecond}/s, ${simRequests.maxConcurrent} concurrent`,
      ],
      [
        "Jira requests (our counter)",
        String(ours),
        "counters.jiraRequests when the backfill finished",
      ],
      ["requests per issue", perIssue.toFixed(4), "all requests"],
      [
        "  without completion calls",
        perIssueBase.toFixed(4),
        `${verdict(perIssueBase <= 0.05)} ≤ 0.05 (excl. ${completion} comment/changelog pages of heavy issues)`,
      ],
      ["webhook → queryable p50", ms(p50), `via ${latency.via}`],
      ["webhook → queryable p95", ms(p95), `${verdict(p95 <= 1000)} ≤ 1000 ms`],
      [
        "webhook → queryable max",
        ms(max),
        `${latency.samples.length} measured, ${latency.failures} not seen within ${VISIBLE_TIMEOUT_MS / 1000} s`,
      ],
      [
        "  t0 → Worker's 202, p50/p95",
        `${ms(percentile(acceptedSorted, 50))} / ${ms(percentile(acceptedSorted, 95))}`,
        "the simulator builds and delivers the webhook; the Worker verifies and enqueues it",
      ],
      [
        "  202 → queryable, p50/p95",
        `${ms(percentile(appliedSorted, 50))} / ${ms(percentile(appliedSorted, 95))}`,
        `queue batch wait + the Durable Object applying it (${latency.applied.length} matched)`,
      ],
      [
        "webhooks applied",
        String(status.counters.webhooksApplied ?? 0),
        `received ${status.counters.webhooksReceived ?? 0}, rejected ${status.counters.webhooksRejected ?? 0}`,
      ],
      ["total bench time", `${((Date.now() - benchStart) / 1000).toFixed(0)} s`, ""],
    ])}\n`,
  );
  return latency.failures > 0 ? 1 : 0;
}

/** `--config <copy>` when --events-batch-timeout asks for a different sync-events batch timeout. */
function configArgs(tmp: string): string[] {
  const timeout = args["events-batch-timeout"];
  if (timeout === undefined) {
    return [];
  }
  if (!/^\d+$/.test(timeout)) {
    throw new Error("--events-batch-timeout must be a whole number of seconds");
  }
  const original = readFileSync(path.join(root, "wrangler.toml"), "utf8");
  const consumer =
    /(\[\[queues\.consumers\]\]\s*\nqueue = "sync-events"\n(?:[^[\n].*\n)*?)max_batch_timeout = \d+/;
  if (!consumer.test(original)) {
    throw new Error("wrangler.toml: no max_batch_timeout in the sync-events consumer");
  }
  const copy = original
    .replace(consumer, `$1max_batch_timeout = ${timeout}`)
    .replace(
      /^main = "(.*)"$/m,
      (_, main: string) => `main = ${JSON.stringify(path.join(root, main))}`,
    );
  const file = path.join(tmp, "wrangler.toml");
  writeFileSync(file, copy);
  log(`sync-events max_batch_timeout = ${timeout} (a copy of wrangler.toml in the temp folder)`);
  return ["--config", file];
}

function positive(name: "issues" | "webhooks" | "concurrency" | "seed"): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no wrangler output)";
  }
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`\x1b[31m[bench] ${error instanceof Error ? error.message : String(error)}\x1b[0m`);
} finally {
  if (!stopping) {
    await stopAll();
  }
}
process.exit(exitCode);
