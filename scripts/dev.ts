/**
 * `npm run dev` — the whole system on loopback, nothing else to install:
 *   embedded Postgres 17 (from npm; data in .data/postgres, unless DATABASE_URL is set) →
 *   migrations → the Neon driver's local endpoints (SQL-over-HTTP, WebSocket proxy) →
 *   `wrangler dev` on 127.0.0.1:$PORT (default 8787) → cron triggers fired on schedule → a banner
 *   with the URL and the admin token.
 * Ctrl-C stops everything (wrangler's whole process group, the endpoints, Postgres cleanly).
 * Local secrets are generated once into .data/ (gitignored); bindings reach the Worker through a
 * generated env file (.data/dev.env, mode 0600), never through committed files or the command line.
 *
 *   npm run dev              start
 *   npm run dev -- --demo    start, then seed demo data (hook in scripts/lib/dev-demo.ts)
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readCronTriggers, startCronTicker, triggerScheduled } from "./lib/cron-ticker.ts";
import { startDemo } from "./lib/dev-demo.ts";
import {
  ensureSecret,
  generateAdminToken,
  generateEncryptionKey,
  readEnvFile,
  settingProblems,
  type Vars,
  writeEnvFile,
} from "./lib/dev-env.ts";
import { startDatabaseStack } from "./lib/database-stack.ts";
import { portIsFree, spawnGroup, waitForHttp } from "./lib/processes.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// DATA_DIR moves everything dev keeps (database, secrets) elsewhere, e.g. for a second stack.
const dataDir = path.resolve(root, process.env.DATA_DIR || ".data");
const wranglerBin = path.join(root, "node_modules", ".bin", "wrangler");
/** Optional settings passed from the environment to the Worker when set (see src/env.ts). */
const PASS_THROUGH = [
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
  "LOG_LEVEL",
  "ALLOWED_JIRA_HOSTS",
  "PUBLIC_URL",
  "ENCRYPTION_KEYS_PREVIOUS",
  "TENANT_RATE_LIMIT_PER_MINUTE",
  "JIRA_REQUESTS_PER_SECOND",
  "METRICS_TOKEN",
  "STATEMENT_TIMEOUT_MS",
];
const HEALTH_TIMEOUT_MS = 120_000;
const SHUTDOWN_TIMEOUT_MS = 30_000;

const log = (line: string) => console.log(`\x1b[36m[dev]\x1b[0m ${line}`);

// ── shutdown: undo every started piece in reverse order ────────────────────────────────────────
const cleanups: { name: string; run: () => unknown }[] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (cleanups.length === 0) {
      process.exit(code);
    }
    const started = Date.now();
    log("stopping…");
    setTimeout(() => {
      log(`shutdown took longer than ${SHUTDOWN_TIMEOUT_MS / 1000} s, exiting anyway`);
      process.exit(code || 1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    // pop(): pieces that finish starting while we stop are still picked up.
    for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
      try {
        await cleanup.run();
      } catch (error) {
        console.error(`[dev] stopping ${cleanup.name} failed:`, error);
      }
    }
    log(`stopped in ${Date.now() - started} ms`);
    process.exit(code);
  }
  return new Promise<never>(() => {});
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      log("still stopping (letting the database close cleanly)…");
      return;
    }
    process.stdout.write("\n");
    void shutdown(0);
  });
}
// If whatever started us dies without signalling (e.g. `kill -9` of npm), stop rather than leak.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid && !shuttingDown) {
    log("parent process is gone");
    void shutdown(1);
  }
}, 1_000).unref();
// While stopping, errors of half-started pieces (a client whose database went away) are expected.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (error: unknown) => {
    if (!shuttingDown) {
      console.error("[dev] unexpected error:", error);
      void shutdown(1);
    }
  });
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: { demo: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (args.help) {
    console.log("usage: npm run dev [-- --demo]   (PORT, DATABASE_URL, … from env or .dev.vars)");
    return;
  }
  if (!existsSync(wranglerBin)) {
    throw new Error("node_modules/.bin/wrangler is missing: run `npm install` first");
  }

  // Settings: .dev.vars, overridden by the process environment.
  const devVars = readEnvFile(path.join(root, ".dev.vars"));
  const env: Vars = { ...devVars };
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && value !== "") {
      env[key] = value;
    }
  }
  const problems = settingProblems(env);
  if (problems.length > 0) {
    throw new Error(`these settings cannot be used:\n  - ${problems.join("\n  - ")}`);
  }
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new Error(`PORT must be a TCP port number, got ${env.PORT}`);
  }
  if (!(await portIsFree(port))) {
    throw new Error(`port ${port} on 127.0.0.1 is in use (another \`npm run dev\`?). Set PORT=…`);
  }

  mkdirSync(dataDir, { recursive: true });
  const adminToken = ensureSecret(
    env,
    "ADMIN_TOKEN",
    path.join(dataDir, "admin-token"),
    generateAdminToken,
  );
  const encryptionKey = ensureSecret(
    env,
    "ENCRYPTION_KEY",
    path.join(dataDir, "encryption-key"),
    generateEncryptionKey,
  );
  for (const [name, secret] of [
    ["ADMIN_TOKEN", adminToken],
    ["ENCRYPTION_KEY", encryptionKey],
  ] as const) {
    log(`${name} ${secret.created ? "generated into" : "from"} ${secret.source}`);
  }

  // Database: DATABASE_URL, or the embedded Postgres with its data in .data/postgres.
  const workerPassword = ensureSecret(
    env,
    "DEV_DB_WORKER_PASSWORD",
    path.join(dataDir, "db-worker-password"),
    generateAdminToken,
  );
  const database = await startDatabaseStack({
    databaseUrl: env.DATABASE_URL,
    dataDir: path.join(dataDir, "postgres"),
    workerPassword: workerPassword.value,
    log,
  }).catch((error: unknown) => {
    throw new Error(`the database did not start: ${describe(error)}`);
  });
  cleanups.push({ name: "database", run: database.stop });
  if (shuttingDown) {
    return;
  }

  const bindings: Vars = { ...devVars };
  delete bindings.PORT;
  Object.assign(bindings, {
    ENVIRONMENT: "development",
    DATABASE_URL: database.workerUrl,
    ADMIN_TOKEN: adminToken.value,
    ENCRYPTION_KEY: encryptionKey.value,
  });
  // The local endpoints only relay to loopback; a remote database (e.g. Neon) is reached directly.
  if (database.wsProxy && database.httpEndpoint) {
    bindings.DB_WS_PROXY = database.wsProxy;
    bindings.DB_HTTP_ENDPOINT = database.httpEndpoint;
    log(
      `Neon driver endpoints: SQL-over-HTTP ${database.httpEndpoint}, WebSocket ${database.wsProxy}`,
    );
  }
  for (const key of PASS_THROUGH) {
    if (env[key]) {
      bindings[key] = env[key];
    }
  }
  const upstash = Boolean(bindings.UPSTASH_REDIS_REST_URL && bindings.UPSTASH_REDIS_REST_TOKEN);
  const envFile = path.join(dataDir, "dev.env");
  writeEnvFile(envFile, bindings);
  cleanups.push({ name: "env file", run: () => rmSync(envFile, { force: true }) });

  if (shuttingDown) {
    return;
  }
  // wrangler dev, in its own process group so stopping it also stops workerd.
  const wrangler = spawnGroup(
    process.execPath,
    [
      wranglerBin,
      "dev",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      path.join(dataDir, "wrangler"),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        WRANGLER_HIDE_BANNER: "true",
        XDG_CONFIG_HOME: path.join(root, ".config"),
      },
    },
  );
  cleanups.push({ name: "wrangler", run: () => wrangler.stop() });
  void wrangler.exited.then((code) => {
    if (!shuttingDown) {
      log(`wrangler exited unexpectedly (code ${code})`);
      void shutdown(code || 1);
    }
  });

  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const health = await waitForHttp(`${url}/health`, HEALTH_TIMEOUT_MS, () => shuttingDown);
  if (shuttingDown) {
    return;
  }
  const crons = readCronTriggers(path.join(root, "wrangler.toml"));
  if (health.ok) {
    log(`GET /health → 200 after ${Date.now() - started} ms`);
    printBanner({
      url,
      adminToken: adminToken.value,
      databaseLabel: database.label,
      upstash,
      crons,
    });
  } else {
    log(
      `GET ${url}/health did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s ` +
        `(last status: ${health.lastStatus ?? "no answer"}); wrangler keeps running — see its output above`,
    );
  }

  // wrangler dev never fires cron triggers: do it on schedule (UTC, like Cloudflare).
  const ticker = startCronTicker(crons, triggerScheduled(url, log));
  cleanups.push({ name: "cron ticker", run: ticker.stop });

  if (args.demo) {
    // ── DEMO HOOK: filled in with the sync engine (scripts/lib/dev-demo.ts) ──
    const stopDemo = await startDemo({ url, adminToken: adminToken.value, log });
    if (stopDemo) {
      cleanups.push({ name: "demo", run: stopDemo });
    }
  }
}

function printBanner(info: {
  url: string;
  adminToken: string;
  databaseLabel: string;
  upstash: boolean;
  crons: string[];
}): void {
  const line = "─".repeat(78);
  const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;
  console.log(
    [
      "",
      line,
      ` ${bold("Digital Spiral is running")} (development)`,
      "",
      `   URL           ${bold(info.url)}`,
      `   API docs      ${info.url}/docs`,
      `   Admin token   ${bold(info.adminToken)}`,
      `   Database      ${info.databaseLabel}`,
      `   Rate limits   per key and per tenant, counted in Postgres`,
      `   Redis         ${info.upstash ? "Upstash (UPSTASH_REDIS_REST_URL)" : "not configured (optional)"}`,
      `   Cron          ${info.crons.join(", ") || "none"} — fired by this script (UTC)`,
      "",
      "   Create a tenant:",
      `   curl -X POST ${info.url}/v1/admin/tenants \\`,
      `     -H "Authorization: Bearer ${info.adminToken}" \\`,
      `     -H 'content-type: application/json' \\`,
      `     -d '{"name":"Acme","slug":"acme"}'`,
      "",
      "   Ctrl-C stops everything; data stays in .data/ for the next run.",
      line,
      "",
    ].join("\n"),
  );
}

/** The message, plus the cause's (drizzle wraps the Postgres error as `cause`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }
  return error.cause ? `${error.message}\n  caused by: ${describe(error.cause)}` : error.message;
}

main().catch((error: unknown) => {
  if (shuttingDown) {
    return; // a consequence of stopping mid-start (e.g. the database went away): not news
  }
  console.error(`\x1b[31m[dev] ${describe(error)}\x1b[0m`);
  void shutdown(1);
});
