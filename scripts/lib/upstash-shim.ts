/**
 * A local stand-in for Upstash Redis' REST API in front of a real `redis-server`, so the real
 * `@upstash/redis` and `@upstash/ratelimit` clients can run in tests without the network:
 *   POST /            ["SET","k","v"]          → {"result": …} | 400 {"error": "…"}
 *   POST /pipeline    [["SET","k","v"], …]     → [{"result": …} | {"error": "…"}, …]
 *   POST /multi-exec  same, atomically (MULTI … EXEC)
 * `Authorization: Bearer <token>` is required (401 otherwise). With `Upstash-Encoding: base64`,
 * strings in results are base64-encoded (recursively in arrays); integers, nil and the simple
 * string `OK` are not — exactly what the client's decoder expects.
 * Lua: Upstash accepts `#!lua flags=allow-key-locking`, open-source Redis rejects the flag, so the
 * shim removes unknown shebang flags and maps the original script's SHA1 to the rewritten one.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { RespConnection, RespError, type RespValue } from "./resp-client.ts";

export interface UpstashShimOptions {
  redisPort: number;
  token: string;
  /** HTTP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
}

export interface UpstashShimHandle {
  /** `http://127.0.0.1:PORT` — the value for UPSTASH_REDIS_REST_URL. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

type Command = string[];
type Reply = { result: RespValue } | { error: string };

/** Commands that would change the state of a pooled connection (or hold it forever). */
const REJECTED = new Set(
  "multi exec discard watch unwatch select subscribe psubscribe ssubscribe unsubscribe punsubscribe sunsubscribe monitor hello reset quit client sync psync".split(
    " ",
  ),
);
/** Shebang flags Redis 7 understands; anything else (allow-key-locking) is removed. */
const REDIS_SCRIPT_FLAGS = new Set([
  "no-writes",
  "allow-oom",
  "allow-stale",
  "no-cluster",
  "allow-cross-slot-keys",
]);

export async function startUpstashShim(options: UpstashShimOptions): Promise<UpstashShimHandle> {
  const idle: RespConnection[] = [];
  const shaMap = new Map<string, string>(); // sha1(original script) → sha1(script sent to Redis)
  const expected = Buffer.from(`Bearer ${options.token}`);

  async function run(commands: Command[]): Promise<RespValue[]> {
    const connection = idle.pop() ?? (await RespConnection.connect(options.redisPort));
    try {
      return await connection.send(commands);
    } finally {
      if (connection.usable && idle.length < 16) {
        idle.push(connection);
      } else {
        connection.close();
      }
    }
  }

  /** Rewrites Lua scripts and SHAs; returns the command to send and a reply post-processor. */
  function translate(command: Command): [Command, (reply: RespValue) => RespValue] {
    const [name = "", first = "", ...rest] = command;
    const upper = name.toUpperCase();
    const isLoad = upper === "SCRIPT" && first.toUpperCase() === "LOAD";
    const script = upper === "EVAL" || upper === "EVAL_RO" ? first : isLoad ? rest[0] : undefined;
    if (script !== undefined) {
      const rewritten = stripUnknownFlags(script);
      if (rewritten === script) {
        return [command, (reply) => reply];
      }
      const original = sha1(script);
      shaMap.set(original, sha1(rewritten));
      return isLoad
        ? [[name, first, rewritten], (reply) => (reply instanceof RespError ? reply : original)]
        : [[name, rewritten, ...rest], (reply) => reply];
    }
    const mapSha = (sha: string) => shaMap.get(sha.toLowerCase()) ?? sha;
    if (upper === "EVALSHA" || upper === "EVALSHA_RO") {
      return [[name, mapSha(first), ...rest], (reply) => reply];
    }
    if (upper === "SCRIPT" && first.toUpperCase() === "EXISTS") {
      return [[name, first, ...rest.map(mapSha)], (reply) => reply];
    }
    return [command, (reply) => reply];
  }

  async function execute(commands: Command[], atomic: boolean): Promise<Reply[] | string> {
    const translated = commands.map(translate);
    const toSend = translated.map(([command]) => command);
    if (!atomic) {
      const replies = await run(toSend);
      return replies.map((reply, i) => toReply(translated[i]![1](reply)));
    }
    const replies = await run([["MULTI"], ...toSend, ["EXEC"]]);
    const exec = replies.at(-1);
    if (!Array.isArray(exec)) {
      const queueError = replies.find((reply) => reply instanceof RespError);
      return queueError instanceof RespError ? queueError.message : "EXECABORT transaction failed";
    }
    return exec.map((reply, i) => toReply(translated[i]![1](reply)));
  }

  const server = http.createServer((request, response) => {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    const auth = Buffer.from(request.headers.authorization ?? "");
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      send(401, { error: "Unauthorized" });
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const base64 = String(request.headers["upstash-encoding"]).toLowerCase() === "base64";
      const path = new URL(request.url ?? "/", "http://shim").pathname.replace(/\/+$/, "") || "/";
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
        if (request.method !== "POST" || !["/", "/pipeline", "/multi-exec"].includes(path)) {
          send(404, { error: `ERR unsupported request: ${request.method} ${path}` });
          return;
        }
        const commands = path === "/" ? [toCommand(body)] : toCommands(body);
        const result = await execute(commands, path === "/multi-exec");
        if (typeof result === "string") {
          send(400, { error: result });
          return;
        }
        const encoded = result.map((reply) =>
          "error" in reply ? reply : { result: encodeValue(reply.result, base64) },
        );
        if (path !== "/") {
          send(200, encoded);
        } else {
          send("error" in result[0]! ? 400 : 200, encoded[0]);
        }
      } catch (error) {
        // Bad requests are 400 (as Upstash); failing to reach Redis is the server's fault: 500.
        const message = error instanceof SyntaxError ? "ERR invalid JSON" : errMsg(error);
        send(message.startsWith("ERR ") ? 400 : 500, { error: message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token: options.token,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const connection of idle.splice(0)) {
        connection.close();
      }
    },
  };
}

function toCommand(value: unknown): Command {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error("ERR a command must be a non-empty JSON array");
  }
  const command = value.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg)));
  if (REJECTED.has(command[0]!.toLowerCase())) {
    throw new Error(`ERR command is not allowed: ${command[0]}`);
  }
  return command;
}

function toCommands(value: unknown): Command[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new Error("ERR expected a non-empty JSON array of commands");
  }
  return value.map(toCommand);
}

function toReply(value: RespValue): Reply {
  return value instanceof RespError ? { error: value.message } : { result: value };
}

/** Bulk strings → utf8, or base64 when asked; with base64 also simple strings except `OK`. */
function encodeValue(value: RespValue, base64: boolean): unknown {
  if (value instanceof RespError) {
    return value.message;
  }
  if (Buffer.isBuffer(value)) {
    return base64 ? value.toString("base64") : value.toString("utf8");
  }
  if (typeof value === "string") {
    // The client base64-decodes every string but "OK": PONG, QUEUED, "string" (TYPE) must be encoded.
    return base64 && value !== "OK" ? Buffer.from(value).toString("base64") : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => encodeValue(item, base64));
  }
  return value;
}

function stripUnknownFlags(script: string): string {
  const match = /^#!lua[^\r\n]*/.exec(script);
  if (!match) {
    return script;
  }
  const flags = (/flags=(\S*)/.exec(match[0])?.[1] ?? "").split(",").filter(Boolean);
  const kept = flags.filter((flag) => REDIS_SCRIPT_FLAGS.has(flag));
  if (kept.length === flags.length) {
    return script;
  }
  // An empty first line keeps the line numbers of Lua error messages unchanged.
  return (kept.length > 0 ? `#!lua flags=${kept.join(",")}` : "") + script.slice(match[0].length);
}

function sha1(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

function errMsg(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
