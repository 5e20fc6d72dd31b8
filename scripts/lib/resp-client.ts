/**
 * A tiny RESP2 client over `node:net` for the Upstash shim: sends batches of commands on one
 * connection (pipelined in a single write, so a MULTI … EXEC batch cannot interleave with anything
 * else sent on that connection) and parses the replies in order.
 * Reply mapping: simple string → string, bulk string → Buffer, integer → number, nil → null,
 * error → RespError (returned, not thrown), array → array.
 */
import net from "node:net";

export class RespError extends Error {
  override name = "RespError";
}

export type RespValue = string | number | Buffer | null | RespError | RespValue[];

interface Pending {
  count: number;
  replies: RespValue[];
  resolve(replies: RespValue[]): void;
  reject(error: Error): void;
}

export class RespConnection {
  readonly #socket: net.Socket;
  readonly #pending: Pending[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #failure: Error | undefined;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(new Error("redis connection closed")));
  }

  static connect(port: number, host = "127.0.0.1"): Promise<RespConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once("connect", () => {
        socket.off("error", reject);
        resolve(new RespConnection(socket));
      });
      socket.once("error", reject);
    });
  }

  get usable(): boolean {
    return this.#failure === undefined;
  }

  /** Sends the commands in one write; resolves with one reply per command. */
  send(commands: readonly (readonly string[])[]): Promise<RespValue[]> {
    if (this.#failure) {
      return Promise.reject(this.#failure);
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ count: commands.length, replies: [], resolve, reject });
      this.#socket.write(Buffer.concat(commands.map(encodeCommand)));
    });
  }

  close(): void {
    this.#fail(new Error("redis connection closed by client"));
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      for (;;) {
        const parsed = parseReply(this.#buffer, 0);
        if (!parsed) {
          return;
        }
        this.#buffer = this.#buffer.subarray(parsed[1]);
        const batch = this.#pending[0];
        if (!batch) {
          throw new Error("unexpected reply from redis");
        }
        batch.replies.push(parsed[0]);
        if (batch.replies.length === batch.count) {
          this.#pending.shift();
          batch.resolve(batch.replies);
        }
      }
    } catch (error) {
      this.#fail(error as Error);
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#socket.destroy();
    for (const batch of this.#pending.splice(0)) {
      batch.reject(error);
    }
  }
}

export function encodeCommand(args: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.from(arg, "utf8");
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, Buffer.from("\r\n"));
  }
  return Buffer.concat(parts);
}

/** Parses one reply at `offset`; undefined when the buffer does not hold a complete reply yet. */
export function parseReply(buffer: Buffer, offset: number): [RespValue, number] | undefined {
  const lineEnd = buffer.indexOf("\r\n", offset);
  if (lineEnd < 0) {
    return undefined;
  }
  const line = buffer.toString("utf8", offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (String.fromCharCode(buffer[offset] ?? 0)) {
    case "+":
      return [line, next];
    case "-":
      return [new RespError(line), next];
    case ":":
      return [Number(line), next];
    case "$": {
      const length = Number(line);
      if (length < 0) {
        return [null, next];
      }
      if (buffer.length < next + length + 2) {
        return undefined;
      }
      return [Buffer.from(buffer.subarray(next, next + length)), next + length + 2];
    }
    case "*": {
      const count = Number(line);
      if (count < 0) {
        return [null, next];
      }
      const items: RespValue[] = [];
      let position = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, position);
        if (!item) {
          return undefined;
        }
        items.push(item[0]);
        position = item[1];
      }
      return [items, position];
    }
    default:
      throw new Error(`RESP protocol error near: ${JSON.stringify(line.slice(0, 40))}`);
  }
}
