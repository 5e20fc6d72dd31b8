/**
 * Child processes that must not outlive `npm run dev`: each is spawned `detached` (its own
 * process group, so it also owns everything it starts — wrangler's workerd, esbuild) and stopped
 * by signalling the whole group, escalating to SIGKILL if it lingers.
 */
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import net from "node:net";

export interface ProcessGroup {
  child: ChildProcess;
  /** Resolves with the exit code (or 128 + signal number) when the leader exits. */
  exited: Promise<number>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when no process of the group is left. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnGroup(command: string, args: string[], options: SpawnOptions): ProcessGroup {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => {
      resolve(code ?? 128 + (signal ? signalNumber(signal) : 0));
    });
    child.once("error", () => resolve(127));
  });
  let stopping: Promise<void> | undefined;
  return {
    child,
    exited,
    stop: (graceMs = 5_000) => {
      stopping ??= stopGroup(child, graceMs);
      return stopping;
    },
  };
}

async function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) {
    return;
  }
  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      signalGroup(pgid, "SIGKILL");
      await waitUntil(() => !groupAlive(pgid), 2_000);
      return;
    }
    await sleep(50);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Signal 0 to the group: true while any member (not yet reaped) exists. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 0;
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await sleep(50);
  }
}

/** True when nothing listens on host:port yet (so a server can bind it). */
export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Polls `url` until it answers 200 (true) or `timeoutMs` passes / `stopped()` (false). */
export async function waitForHttp(
  url: string,
  timeoutMs: number,
  stopped: () => boolean,
): Promise<{ ok: boolean; lastStatus?: number }> {
  const deadline = Date.now() + timeoutMs;
  let lastStatus: number | undefined;
  while (Date.now() < deadline && !stopped()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      lastStatus = response.status;
      if (response.ok) {
        return { ok: true, lastStatus };
      }
    } catch {
      // Not listening yet.
    }
    await sleep(300);
  }
  return { ok: false, lastStatus };
}
