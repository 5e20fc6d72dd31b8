// HTTP entry point: the root serves a default site; POST /_sim/sites creates independent sites
// under /sites/{siteId} so parallel tests never share data, faults or counters.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError, jiraError, readBody } from "./http.ts";
import { Site, send } from "./site.ts";
import { isValidTimeZone } from "./time.ts";

export interface JiraSimOptions {
  port?: number;
  host?: string;
  seed?: number;
  issues?: number;
  projects?: number;
  users?: number;
}

export interface JiraSimHandle {
  url: string;
  email: string;
  apiToken: string;
  close(): Promise<void>;
}

const DEFAULT_TIME_ZONE = "Europe/Berlin";
const MAX_ISSUES = 200_000;

function count(v: unknown, fallback: number, max: number): number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? Math.min(v, max) : fallback;
}

export async function startJiraSimulator(opts: JiraSimOptions = {}): Promise<JiraSimHandle> {
  const host = opts.host ?? "127.0.0.1";
  const sites = new Map<string, Site>();
  let nextSiteId = 1;
  let root = "";

  const defaultSite = new Site({
    id: "default",
    seed: opts.seed ?? 1,
    issues: opts.issues ?? 50,
    projects: opts.projects ?? 3,
    users: opts.users ?? 20,
    timeZone: DEFAULT_TIME_ZONE,
  });

  async function createSite(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: Record<string, unknown> = {};
    try {
      const raw = await readBody(req);
      body = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
    } catch {
      send(res, { status: 400, body: { errorMessages: ["Body must be JSON."], errors: {} } });
      return;
    }
    const timeZone = typeof body.timeZone === "string" ? body.timeZone : DEFAULT_TIME_ZONE;
    if (!isValidTimeZone(timeZone)) {
      send(res, {
        status: 400,
        body: { errorMessages: [], errors: { timeZone: `Unknown time zone '${timeZone}'.` } },
      });
      return;
    }
    const id = `s${nextSiteId++}`;
    const site = new Site({
      id,
      seed: typeof body.seed === "number" ? body.seed : 1,
      issues: count(body.issues, 50, MAX_ISSUES),
      projects: count(body.projects, 3, 1000),
      users: count(body.users, 20, 10000),
      timeZone,
      accessTokenTtlSeconds: count(body.accessTokenTtlSeconds, 3600, 86400 * 30),
      rejectUnboundedJql: body.rejectUnboundedJql === true,
    });
    site.setUrl(`${root}/sites/${id}`);
    sites.set(id, site);
    send(res, { status: 201, body: site.info() });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sim.local");
    const path = url.pathname;
    void (async () => {
      if (path === "/_sim/sites" && req.method === "POST") {
        await createSite(req, res);
        return;
      }
      if (path === "/_sim/sites" && req.method === "GET") {
        send(res, { status: 200, body: { sites: [...sites.values()].map((s) => s.info()) } });
        return;
      }
      const m = /^\/sites\/([^/]+)(\/.*)?$/.exec(path);
      if (m) {
        const site = sites.get(m[1] ?? "");
        if (!site) {
          send(res, {
            status: 404,
            body: { errorMessages: [`No simulated site '${m[1] ?? ""}'.`], errors: {} },
          });
          return;
        }
        if (
          path.endsWith("/_sim/sites/delete") ||
          (req.method === "DELETE" && (m[2] ?? "/") === "/")
        ) {
          site.close();
          sites.delete(site.id);
          send(res, { status: 204 });
          return;
        }
        await site.handle(req, res, m[2] ?? "/", url.searchParams);
        return;
      }
      await defaultSite.handle(req, res, path, url.searchParams);
    })().catch((e: unknown) => {
      const err =
        e instanceof HttpError ? e : jiraError(500, [e instanceof Error ? e.message : String(e)]);
      send(res, { status: err.status, body: err.body });
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  root = `http://${hostForUrl}:${address.port}`;
  defaultSite.setUrl(root);

  let closing: Promise<void> | null = null;
  return {
    url: root,
    email: defaultSite.auth.email,
    apiToken: defaultSite.auth.apiToken,
    close() {
      closing ??= new Promise<void>((resolve) => {
        defaultSite.close();
        for (const s of sites.values()) {
          s.close();
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
