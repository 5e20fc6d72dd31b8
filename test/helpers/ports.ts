import { connect } from "cloudflare:sockets";

/**
 * A loopback port with nothing listening: tries ports until a connection is refused.
 * (workerd cannot bind sockets, so the usual bind-to-0 trick is unavailable here.)
 */
export async function freeLoopbackPort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const socket = connect({ hostname: "127.0.0.1", port });
    const refused = await socket.opened.then(
      () => false,
      () => true,
    );
    await socket.close().catch(() => {});
    if (refused) {
      return port;
    }
  }
  throw new Error("no free loopback port found");
}
