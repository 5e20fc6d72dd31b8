/**
 * Starts a throwaway `redis-server` (Debian package `redis-server`) on a free loopback port for the
 * test suite's Upstash shim: no persistence (no RDB, no AOF), working directory in a temp folder
 * that is removed on stop.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./embedded-postgres.ts";

export const REDIS_SERVER_BINARY = "/usr/bin/redis-server";

export interface RedisHandle {
  port: number;
  /** `redis://127.0.0.1:PORT` */
  url: string;
  stop(): Promise<void>;
}

/** Debian's /usr/bin/redis-server, else the first `redis-server` on PATH (e.g. Homebrew's). */
export function findRedisServer(): string | undefined {
  const candidates = [
    REDIS_SERVER_BINARY,
    ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "redis-server")),
  ];
  return candidates.find((candidate) => path.isAbsolute(candidate) && existsSync(candidate));
}

export async function startRedis(binary = findRedisServer()): Promise<RedisHandle> {
  if (!binary || !existsSync(binary)) {
    throw new Error(
      `redis-server not found (${binary ?? `${REDIS_SERVER_BINARY} or PATH`}). Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) — it is only needed by the test suite, not by npm run dev.`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "ds-redis-"));
  // freePort() can race with another process grabbing the port: retry a few times.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(binary, redisArgs(port, dir), { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    try {
      await waitForPing(port, child, () => output);
    } catch (error) {
      await kill(child);
      if (attempt < 3 && /Address already in use/i.test(output)) {
        continue;
      }
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    let stopping: Promise<void> | undefined;
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      stop: () => {
        stopping ??= kill(child).then(() => rmSync(dir, { recursive: true, force: true }));
        return stopping;
      },
    };
  }
}

function redisArgs(port: number, dir: string): string[] {
  return [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--protected-mode",
    "yes",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    "no",
    "--daemonize",
    "no",
    "--supervised",
    "no",
    "--logfile",
    "",
    "--loglevel",
    "warning",
  ];
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function waitForPing(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      break;
    }
    if (await ping(port)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not start on port ${port}:\n${log()}`);
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1_000);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}
