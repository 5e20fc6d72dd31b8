/**
 * Embedded Postgres for `npm run dev` (and for test machines without Postgres binaries): PGlite
 * (Postgres compiled to WASM) served over TCP on loopback by `@electric-sql/pglite-socket`.
 * The data lives in `dataDir`, so a second start reuses the database (restart < 1 s).
 *
 * Limits worth knowing (see /work/shared/STACK-NOTES.md): one backend behind a query multiplexer,
 * so transactions are serialized; session-level SETs leak between connections; every connection
 * is the superuser, so RLS only applies inside `SET LOCAL ROLE <app role>`.
 * To limit the leaking, the session is reset (`DISCARD ALL`, like pgbouncer's server_reset_query)
 * when the last open connection says goodbye: otherwise `migrateDatabase`'s `SET ROLE ds_owner`
 * would stay in force for every later connection.
 */
import { mkdirSync } from "node:fs";
import { Server, type Socket } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface PgliteOptions {
  /** Folder holding the database files; created when missing, reused when present. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Concurrent client connections accepted by the multiplexer (default 100). */
  maxConnections?: number;
}

export interface PgliteHandle {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  port: number;
  /** Stops accepting connections, then closes PGlite so everything is flushed to `dataDir`. */
  close(): Promise<void>;
}

export async function startPglite(options: PgliteOptions): Promise<PgliteHandle> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 100,
  });
  resetSessionOnLastTerminate(db, () => server.getStats().activeConnections);
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const sockets = trackSockets(server);
  // getServerConn() is "127.0.0.1:PORT" once listening (port 0 is resolved to the real port).
  const port = Number(server.getServerConn().split(":").pop());
  let closing: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    close: () => {
      closing ??= (async () => {
        const stopped = server.stop();
        // stop() only half-closes a connection accepted but not yet attached to a handler, and
        // then waits for the client forever: after a grace period, destroy what is left.
        if (!(await settlesWithin(stopped, 1_000))) {
          for (const socket of sockets) {
            socket.destroy();
          }
          await settlesWithin(stopped, 2_000);
        }
        if (!db.closed) {
          await db.close();
        }
      })();
      return closing;
    },
  };
}

/** The open client sockets of the socket server's (private) net.Server, if it is reachable. */
function trackSockets(server: PGLiteSocketServer): Set<Socket> {
  const sockets = new Set<Socket>();
  const netServer = (server as unknown as { server?: unknown }).server;
  if (netServer instanceof Server) {
    netServer.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
  }
  return sockets;
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

const TERMINATE = 0x58; // 'X'
const DISCARD_ALL = queryMessage("DISCARD ALL");

/**
 * Runs `DISCARD ALL` right after a client's Terminate message when no other connection is open and
 * no transaction is in progress. It runs inside the same exclusive slot as the Terminate message
 * (the socket server's queue wraps execProtocolRawStream in runExclusive), so nothing interleaves.
 */
function resetSessionOnLastTerminate(db: PGlite, openConnections: () => number): void {
  const exec = db.execProtocolRawStream.bind(db);
  db.execProtocolRawStream = async (message, options) => {
    await exec(message, options);
    if (message[0] === TERMINATE && openConnections() <= 1 && !db.isInTransaction()) {
      await exec(DISCARD_ALL, { onRawData: () => {} });
    }
  };
}

/** A simple-query protocol message: 'Q', int32 length, the SQL text, NUL. */
function queryMessage(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`, "utf8");
  const message = Buffer.alloc(5 + text.length);
  message.write("Q", 0, "ascii");
  message.writeInt32BE(4 + text.length, 1);
  text.copy(message, 5);
  return message;
}
