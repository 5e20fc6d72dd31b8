/**
 * The product as a user runs it: `node scripts/dev.ts` on a free port (wrangler dev, the Worker,
 * queues, Durable Objects), its admin token read from the banner it prints. The database is the
 * suite's real Postgres (DATABASE_URL), so nothing here shares state with a developer's `.data/`
 * database.
 */
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type ProcessGroup, spawnGroup } from "../../scripts/lib/processes.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const START_TIMEOUT_MS = 150_000;

export interface DevStack {
  url: string;
  adminToken: string;
  /** Everything the stack printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes of the banner
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** Starts the stack; a port taken between choosing and binding it (parallel tests) is retried. */
export async function startDevStack(env: Record<string, string>): Promise<DevStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, await freePort());
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("is in use")) {
        throw error;
      }
    }
  }
}

async function startOnce(env: Record<string, string>, port: number): Promise<DevStack> {
  const group: ProcessGroup = spawnGroup(process.execPath, [path.join(root, "scripts/dev.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: "warn" },
  });
  let output = "";
  const ready = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += stripAnsi(chunk.toString());
      const token = /Admin token\s+(\S+)/.exec(output)?.[1];
      if (token && output.includes("Digital Spiral is running")) {
        resolve(token);
      }
    };
    group.child.stdout?.on("data", onData);
    group.child.stderr?.on("data", onData);
    void group.exited.then((code) => reject(new Error(`dev.ts exited (${code}):\n${output}`)));
    setTimeout(
      () => reject(new Error(`dev.ts not ready in ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    ).unref();
  });
  let adminToken: string;
  try {
    adminToken = await ready;
  } catch (error) {
    await group.stop(30_000);
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    adminToken,
    output: () => output,
    // dev.ts stops wrangler (its own process group) on SIGTERM; give it time to do so cleanly.
    stop: () => group.stop(30_000),
  };
}
