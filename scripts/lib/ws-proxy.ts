/**
 * WebSocket → TCP proxy for the Neon serverless driver (what Neon's `wsproxy` does in production).
 * workerd cannot open raw TCP to Postgres through the driver, so locally the driver connects to
 * `ws://127.0.0.1:PORT/v1?address=host:port` and this pipes the bytes to the Postgres socket.
 * Only loopback targets are allowed: the proxy must never become an open relay.
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import net from "node:net";
import type { WebSocketServer as WsServer, WebSocket as WsSocket } from "ws";

// `ws` resolves to its browser stub under vite/vitest; load the Node build explicitly.
const require = createRequire(import.meta.url);
const { WebSocketServer } = require("ws") as { WebSocketServer: typeof WsServer };

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

export interface WsProxyHandle {
  port: number;
  /** Value for the Worker's `DB_WS_PROXY` setting: host:port/v1 (the driver adds ws:// and the address). */
  address: string;
  close(): Promise<void>;
}

export async function startWsProxy(port = 0): Promise<WsProxyHandle> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", () => resolve());
    wss.once("error", reject);
  });
  wss.on("connection", (ws, request) => {
    const target = new URL(request.url ?? "/", "http://proxy").searchParams.get("address") ?? "";
    const separator = target.lastIndexOf(":");
    const host = target.slice(0, separator);
    const targetPort = Number(target.slice(separator + 1));
    if (!LOOPBACK_HOSTS.has(host) || !Number.isInteger(targetPort)) {
      ws.close(1008, "only loopback targets are allowed");
      return;
    }
    pipe(ws, net.connect({ host, port: targetPort }));
  });
  const actualPort = (wss.address() as AddressInfo).port;
  return {
    port: actualPort,
    address: `127.0.0.1:${actualPort}/v1`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) {
          client.terminate();
        }
        wss.close(() => resolve());
      }),
  };
}

function pipe(ws: WsSocket, socket: net.Socket): void {
  socket.setNoDelay(true);
  const pending: Buffer[] = [];
  let connected = false;
  socket.on("connect", () => {
    connected = true;
    for (const chunk of pending) {
      socket.write(chunk);
    }
    pending.length = 0;
  });
  ws.on("message", (data: Buffer) => {
    if (connected) {
      socket.write(data);
    } else {
      pending.push(data);
    }
    // After the client's Terminate message ('X'), end the socket ourselves rather than wait.
    if (data.length === 5 && data[0] === 0x58) {
      socket.end();
    }
  });
  socket.on("data", (chunk) => ws.send(chunk));
  // A clean close() here makes workerd report "Network connection lost" later; terminate instead.
  socket.on("close", () => ws.terminate());
  socket.on("error", () => ws.terminate());
  ws.on("close", () => socket.destroy());
  ws.on("error", () => socket.destroy());
}
