// One simulated Jira Cloud site: its data, credentials, faults, counters and webhooks, and the
// request pipeline (faults -> latency -> auth -> route) applied to its REST API.

import type { IncomingMessage, ServerResponse } from "node:http";
import { Auth } from "./auth.ts";
import { generateDataset } from "./dataset.ts";
import type { Json } from "./entities.ts";
import { Faults, RequestStats } from "./faults.ts";
import { FieldCatalogue, type IssueRenderCtx } from "./fields.ts";
import {
  HttpError,
  jiraError,
  Router,
  readBody,
  type SimRequest,
  type SimResponse,
} from "./http.ts";
import { type CompiledJql, compileJql, JqlError } from "./jql.ts";
import type { Issue } from "./model.ts";
import { Mutator, type SiteEvent } from "./mutations.ts";
import { createRng, deriveSeed } from "./prng.ts";
import { registerControlRoutes, renderIssueFull } from "./routes/control.ts";
import { registerIssueRoutes } from "./routes/issues.ts";
import { registerMetaRoutes } from "./routes/meta.ts";
import { registerSearchRoutes } from "./routes/search.ts";
import type { Store } from "./store.ts";
import { buildWebhookPayload, Webhooks } from "./webhooks.ts";

export interface SiteOptions {
  id: string;
  seed: number;
  issues: number;
  projects: number;
  users: number;
  timeZone: string;
  email?: string;
  accessTokenTtlSeconds?: number;
  /** Reject JQL without a search restriction, as Jira's /search/jql does (off by default). */
  rejectUnboundedJql?: boolean;
}

interface CachedSearch {
  version: number;
  ids: string[];
}

export class Site {
  readonly id: string;
  readonly options: SiteOptions;
  readonly store: Store;
  readonly catalogue: FieldCatalogue;
  readonly mutator: Mutator;
  readonly faults: Faults;
  readonly stats = new RequestStats();
  readonly webhooks: Webhooks;
  readonly auth: Auth;
  private readonly rest = new Router();
  private readonly control = new Router();
  private readonly searchCache = new Map<string, CachedSearch>();
  private readonly waits = new Set<NodeJS.Timeout>();
  url = "";

  constructor(options: SiteOptions) {
    this.id = options.id;
    this.options = options;
    const rng = createRng(deriveSeed(options.seed, `site:${options.id}`));
    const email = options.email ?? "admin@digital-spiral.example.com";
    this.auth = new Auth(rng, email, options.accessTokenTtlSeconds ?? 3600);
    this.store = generateDataset({
      seed: options.seed,
      issues: options.issues,
      projects: options.projects,
      users: options.users,
      timeZone: options.timeZone,
      adminEmail: email,
    });
    this.catalogue = new FieldCatalogue(this.store.customFields);
    this.mutator = new Mutator(this.store, this.catalogue, (e) => this.onEvent(e));
    // Seeded by the dataset seed only: two sites with the same seed fail identically.
    this.faults = new Faults(deriveSeed(options.seed, "faults"));
    this.webhooks = new Webhooks(deriveSeed(options.seed, "webhooks"));
    registerSearchRoutes(this.rest, this);
    registerIssueRoutes(this.rest, this);
    registerMetaRoutes(this.rest, this);
    registerControlRoutes(this.control, this);
  }

  setUrl(url: string): void {
    this.url = url;
    this.store.baseUrl = url;
  }

  now(): number {
    return Date.now();
  }

  /** Render context for REST v3 responses. */
  ctx(commentLimit: number | null): IssueRenderCtx {
    return { store: this.store, api: "3", includeEmail: true, commentLimit };
  }

  private onEvent(event: SiteEvent): void {
    if (this.webhooks.active) {
      this.webhooks.dispatch(
        event,
        buildWebhookPayload(event, this.store, this.catalogue, this.now()),
      );
    }
  }

  /** Looks an issue up or throws Jira's 404. */
  issueOr404(idOrKey: string): Issue {
    const issue = this.store.getIssue(idOrKey);
    if (!issue) {
      throw jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
    }
    return issue;
  }

  compile(jql: string): CompiledJql {
    try {
      const compiled = compileJql(jql, {
        store: this.store,
        catalogue: this.catalogue,
        currentUserId: this.store.admin.accountId,
        now: this.now(),
      });
      if (this.options.rejectUnboundedJql && !compiled.bounded) {
        throw new JqlError(
          "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
        );
      }
      return compiled;
    } catch (e) {
      if (e instanceof JqlError) {
        throw jiraError(400, [e.message]);
      }
      throw e;
    }
  }

  /** Sorted ids matching the JQL; cached until the data changes (unless time dependent). */
  searchIds(jql: string): string[] {
    const key = jql.trim();
    const compiled = this.compile(key);
    const cached = this.searchCache.get(key);
    if (cached && cached.version === this.store.version && !compiled.timeDependent) {
      return cached.ids;
    }
    const matches: Issue[] = [];
    for (const issue of this.store.issues.values()) {
      if (compiled.filter(issue)) {
        matches.push(issue);
      }
    }
    matches.sort(compiled.compare);
    const ids = matches.map((i) => i.id);
    if (!compiled.timeDependent) {
      if (this.searchCache.size > 64) {
        this.searchCache.clear();
      }
      this.searchCache.set(key, { version: this.store.version, ids });
    }
    return ids;
  }

  groundTruth(issue: Issue): Json {
    return renderIssueFull(this, issue);
  }

  info(): Json {
    return {
      siteId: this.id,
      url: this.url,
      email: this.auth.email,
      apiToken: this.auth.apiToken,
      timeZone: this.store.timeZone,
      seed: this.options.seed,
      oauth: {
        clientId: this.auth.clientId,
        clientSecret: this.auth.clientSecret,
        refreshToken: this.auth.initialRefreshToken,
        cloudId: this.auth.cloudId,
        tokenUrl: `${this.url}/oauth/token`,
      },
      counts: {
        issues: this.store.issues.size,
        deleted: this.store.deleted.length,
        projects: this.store.projects.length,
        users: this.store.users.length,
      },
    };
  }

  private delay(ms: number, res: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waits.delete(t);
        resolve();
      }, ms);
      this.waits.add(t);
      res.once("close", () => {
        clearTimeout(t);
        this.waits.delete(t);
        resolve();
      });
    });
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    rawPath: string,
    query: URLSearchParams,
  ): Promise<void> {
    // OAuth clients call https://api.atlassian.com/ex/jira/{cloudId}/rest/...; mirror that prefix.
    const prefix = `/ex/jira/${this.auth.cloudId}`;
    const path = rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
    const method = (req.method ?? "GET").toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (e) {
      send(
        res,
        e instanceof HttpError ? { status: e.status, body: e.body } : { status: 400, body: {} },
      );
      return;
    }
    const simReq: SimRequest = { method, path, query, headers: req.headers, body, params: {} };

    if (path === "/_sim" || path.startsWith("/_sim/")) {
      send(res, await this.dispatch(this.control, simReq));
      return;
    }
    if (path === "/oauth/token" && method === "POST") {
      const now = this.now();
      this.stats.begin("POST /oauth/token", now);
      const result = this.auth.token(Auth.parseForm(body, req.headers["content-type"]), now);
      this.stats.end(result.status);
      send(res, { status: result.status, body: result.body });
      return;
    }
    if (path === "/oauth/token/accessible-resources" && method === "GET") {
      const ok = this.auth.check(req.headers, this.now());
      send(
        res,
        ok
          ? {
              status: 200,
              body: [
                {
                  id: this.auth.cloudId,
                  url: this.url,
                  name: `sim-${this.id}`,
                  scopes: ["read:jira-work", "write:jira-work", "read:jira-user"],
                  avatarUrl:
                    "https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png",
                },
              ],
            }
          : { status: 401, body: { code: 401, message: "Unauthorized" } },
      );
      return;
    }
    if (!path.startsWith("/rest/")) {
      send(res, {
        status: 404,
        body: { errorMessages: [`null for uri: ${this.url}${path}`], errors: {} },
      });
      return;
    }

    const matched = this.rest.match(method, path);
    const routeName =
      matched && "route" in matched ? `${method} ${matched.route.template}` : `${method} ${path}`;
    const start = this.now();
    this.stats.begin(routeName, start);
    let response: SimResponse;
    const fault = this.faults.decide(start);
    const cfg = this.faults.current;
    const wait = (cfg.latencyMs ?? 0) + (cfg.hangMs ?? 0);
    if (wait > 0) {
      await this.delay(wait, res);
    }
    if (fault) {
      response = {
        status: fault.status,
        body: { errorMessages: [fault.message], errors: {} },
        headers: fault.headers,
      };
    } else if (!this.auth.check(req.headers, this.now())) {
      response = {
        status: 401,
        body: {
          errorMessages: ["Client must be authenticated to access this resource."],
          errors: {},
        },
        headers: {
          "WWW-Authenticate":
            'Basic realm="protected-area", OAuth realm="https://jira.atlassian.com"',
        },
      };
    } else {
      response = await this.dispatch(this.rest, simReq);
    }
    const budget = this.faults.budgetHeaders(this.now());
    response.headers = { ...budget, ...response.headers };
    this.stats.end(response.status);
    send(res, response);
  }

  private async dispatch(router: Router, req: SimRequest): Promise<SimResponse> {
    const m = router.match(req.method, req.path);
    if (!m) {
      return {
        status: 404,
        body: { errorMessages: [`null for uri: ${this.url}${req.path}`], errors: {} },
      };
    }
    if (!("route" in m)) {
      return {
        status: 405,
        body: {
          errorMessages: [`Method ${req.method} is not allowed for ${req.path}.`],
          errors: {},
        },
        headers: { Allow: m.allowed.join(", ") },
      };
    }
    try {
      return await m.route.handler({ ...req, params: m.params });
    } catch (e) {
      if (e instanceof HttpError) {
        return { status: e.status, body: e.body };
      }
      const message = e instanceof Error ? e.message : String(e);
      return {
        status: 500,
        body: { errorMessages: [`Internal simulator error: ${message}`], errors: {} },
      };
    }
  }

  close(): void {
    this.webhooks.close();
    for (const t of this.waits) {
      clearTimeout(t);
    }
    this.waits.clear();
  }
}

export function send(res: ServerResponse, r: SimResponse): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const headers: Record<string, string> = {
    "X-AREQUESTID": Math.random().toString(36).slice(2, 10),
    ...r.headers,
  };
  if (r.status === 204 || r.body === undefined) {
    res.writeHead(r.status, headers);
    res.end();
    return;
  }
  const payload = typeof r.body === "string" ? r.body : JSON.stringify(r.body);
  headers["Content-Type"] = "application/json;charset=UTF-8";
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(r.status, headers);
  res.end(payload);
}
