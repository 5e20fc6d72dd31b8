/**
 * Starts a throwaway real Postgres server (Debian's binaries) for the test suite: a fresh cluster
 * in a temp folder, on a free loopback port, owned by the `postgres` OS user when we run as root
 * (initdb refuses root).
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface PostgresHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function findPostgresBinaries(): string | undefined {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) {
    return undefined;
  }
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : undefined;
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

export async function startPostgres(binDir: string): Promise<PostgresHandle> {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "ds-pg-"));
  const dataDir = path.join(dir, "data");
  const owner = isRoot ? postgresUser() : {};
  if (isRoot) {
    execFileSync("chown", ["postgres:postgres", dir]);
  }
  execFileSync(
    path.join(binDir, "initdb"),
    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"],
    { stdio: "ignore", ...owner },
  );
  const port = await freePort();
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    `unix_socket_directories=${dir}`,
    "-c",
    "fsync=off",
    "-c",
    "synchronous_commit=off",
    "-c",
    "full_page_writes=off",
    "-c",
    "max_connections=300",
  ];
  const child = spawn(path.join(binDir, "postgres"), args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...owner,
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await waitForPort(port, () => stderr);
  await waitUntilAccepting(binDir, port);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGINT");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

/** An open port is not a ready server: on a busy machine it still answers "starting up". */
async function waitUntilAccepting(binDir: string, port: number): Promise<void> {
  const isReady = path.join(binDir, "pg_isready");
  const deadline = Date.now() + 30_000;
  while (existsSync(isReady) && Date.now() < deadline) {
    try {
      execFileSync(isReady, ["-q", "-h", "127.0.0.1", "-p", String(port)]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function waitForPort(port: number, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Postgres did not start on port ${port}:\n${log()}`);
}
