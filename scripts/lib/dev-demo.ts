/**
 * `npm run dev -- --demo`: a demo tenant backed by the Jira simulator, ready to query.
 *
 * Starts the simulator in-process (a seeded site: 300 issues, seed 42, on loopback), creates a
 * tenant and an API key with every scope through the admin API, registers the simulated site as
 * a Jira instance (with a webhook secret), points the simulator's webhooks at the Worker, starts
 * the backfill and shows its progress, then prints the key and copy-paste curl commands.
 *
 * Re-runs reuse what `.data/demo.json` records (tenant, key, instance) while the database still
 * has it. The simulator regenerates its data from the seed on every run, so the instance is
 * registered afresh when the simulator's address changed (its port is kept when free) or when
 * the stored issues no longer match the regenerated site (changes made during an earlier run are
 * newer than anything the simulator now has, so no sync would ever undo them).
 *
 * The returned function (dev.ts calls it on Ctrl-C) stops the progress display and the simulator.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type JiraSimHandle, startJiraSimulator } from "../../test/jira-sim/server.ts";
import {
  ApiError,
  call,
  createTenantWithKey,
  describeBackfill,
  type InstanceInfo,
  registerInstance,
  type SyncStatus,
  servedPaths,
  waitForBackfill,
} from "./demo-api.ts";

export interface DemoContext {
  /** Base URL of the running Worker, e.g. http://127.0.0.1:8787 */
  url: string;
  adminToken: string;
  log(line: string): void;
}

export type StopDemo = () => Promise<void>;

export const DEMO_SEED = 42;
export const DEMO_ISSUES = 300;
const DEMO_PROJECTS = 3;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const defaultStateFile = path.join(root, ".data", "demo.json");

/** What `.data/demo.json` keeps between runs (mode 0600: it holds an API key). */
export interface DemoState {
  apiUrl?: string;
  tenantId?: string;
  apiKey?: string;
  instanceId?: string;
  webhookSecret?: string;
  simulatorPort?: number;
}

export function readDemoState(file: string): DemoState {
  if (!existsSync(file)) {
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" ? (parsed as DemoState) : {};
  } catch {
    return {};
  }
}

function writeDemoState(file: string, state: DemoState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export async function startDemo(
  context: DemoContext,
  options: { stateFile?: string } = {},
): Promise<StopDemo | undefined> {
  const { log } = context;
  const stateFile = options.stateFile ?? defaultStateFile;
  const state = readDemoState(stateFile);
  const apiUrl = context.url;

  const sim = await startSimulator(state.simulatorPort);
  let stopped = false;
  const stop: StopDemo = async () => {
    stopped = true;
    await sim.close();
  };
  try {
    log(`demo: Jira simulator on ${sim.url} (${DEMO_ISSUES} issues, seed ${DEMO_SEED})`);
    const demo = await prepare(context, state, sim);
    writeDemoState(stateFile, {
      apiUrl,
      tenantId: demo.tenantId,
      apiKey: demo.apiKey,
      instanceId: demo.instance.id,
      webhookSecret: demo.webhookSecret,
      simulatorPort: Number(new URL(sim.url).port),
    });
    // The simulator delivers its webhooks (signed) to the Worker, like Jira Cloud would.
    await call("DELETE", `${sim.url}/_sim/webhooks`);
    await call("POST", `${sim.url}/_sim/webhooks`, {
      body: { url: demo.instance.webhookUrl, secret: demo.webhookSecret },
    });
    await call("POST", `${apiUrl}/v1/instances/${demo.instance.id}/sync/backfill`, {
      token: demo.apiKey,
    });
    log(`demo: backfill of ${demo.instance.baseUrl} started`);
    // Progress and the final printout run in the background so Ctrl-C can stop them at any time.
    void followBackfill(context, sim, demo, () => stopped).catch((error: unknown) => {
      if (!stopped) {
        log(`demo: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  } catch (error) {
    await sim.close();
    throw new Error(`demo set-up failed: ${error instanceof Error ? error.message : error}`);
  }
  return stop;
}

/** The simulator on the port of the last run when it is free (so the instance can be reused). */
async function startSimulator(preferredPort: number | undefined): Promise<JiraSimHandle> {
  const options = { seed: DEMO_SEED, issues: DEMO_ISSUES, projects: DEMO_PROJECTS };
  if (preferredPort) {
    try {
      return await startJiraSimulator({ ...options, port: preferredPort });
    } catch {
      // Taken: any free port will do; the instance is then registered again.
    }
  }
  return startJiraSimulator({ ...options, port: 0 });
}

interface Demo {
  tenantId: string;
  apiKey: string;
  instance: InstanceInfo;
  webhookSecret: string;
}

/** Reuses the recorded tenant, key and instance where the database still has them. */
async function prepare(context: DemoContext, state: DemoState, sim: JiraSimHandle): Promise<Demo> {
  const { log, url: apiUrl } = context;
  let tenantId = state.tenantId;
  let apiKey = state.apiKey;
  if (apiKey && tenantId && !(await keyWorks(apiUrl, apiKey))) {
    log("demo: the recorded API key is no longer valid (new database?); creating a new tenant");
    apiKey = undefined;
  }
  if (!apiKey || !tenantId) {
    const created = await createTenantWithKey(apiUrl, context.adminToken, {
      name: "Demo",
      slugBase: "demo",
    });
    tenantId = created.tenantId;
    apiKey = created.apiKey;
    log(`demo: created tenant "${created.slug}" and an API key (scopes read, write, sql, ai)`);
  } else {
    log(`demo: reusing tenant ${tenantId} and its API key from .data/demo.json`);
  }

  const existing = state.instanceId
    ? await getInstance(apiUrl, apiKey, state.instanceId)
    : undefined;
  if (existing) {
    const reason = !sameUrl(existing.baseUrl, sim.url)
      ? `the simulator moved from ${existing.baseUrl}`
      : !state.webhookSecret
        ? "its webhook secret is not recorded"
        : await staleness(apiUrl, apiKey, existing.id, sim.url);
    if (!reason) {
      log(`demo: reusing instance ${existing.id}`);
      return {
        tenantId,
        apiKey,
        instance: existing,
        webhookSecret: state.webhookSecret ?? "",
      };
    }
    log(`demo: replacing instance ${existing.id}: ${reason}`);
    await call("DELETE", `${apiUrl}/v1/instances/${existing.id}`, { token: apiKey });
  }
  const webhookSecret = `whsec_${randomBytes(24).toString("base64url")}`;
  const instance = await registerInstance(apiUrl, apiKey, sim, {
    name: "Demo Jira (simulator)",
    webhookSecret,
  });
  log(`demo: registered instance ${instance.id}`);
  return { tenantId, apiKey, instance, webhookSecret };
}

/**
 * Why the stored issues cannot be brought back in line with the regenerated simulator by a sync
 * (undefined: they can). Issues changed, created or deleted during an earlier run carry an
 * `updated` newer than the simulator's, or change the count; a newer stored version is never
 * overwritten by an older one, so such an instance is replaced rather than re-synced.
 */
async function staleness(
  apiUrl: string,
  apiKey: string,
  instanceId: string,
  simUrl: string,
): Promise<string | undefined> {
  try {
    let simMax = 0;
    let simCount = 0;
    for (let startAt = 0; ; ) {
      const page = await call<{ total: number; issues: { fields?: { updated?: string } }[] }>(
        "GET",
        `${simUrl}/_sim/issues?startAt=${startAt}&maxResults=1000`,
      );
      for (const issue of page.issues) {
        simMax = Math.max(simMax, Date.parse(issue.fields?.updated ?? "") || 0);
      }
      simCount += page.issues.length;
      startAt += page.issues.length;
      if (page.issues.length === 0 || startAt >= page.total) {
        break;
      }
    }
    const result = await call<{ rows: [string | null, string, string][] }>(
      "POST",
      `${apiUrl}/v1/sql`,
      {
        token: apiKey,
        body: {
          query:
            "select max(updated), count(*) filter (where deleted_at is null), " +
            "count(*) filter (where deleted_at is not null) from issues where instance_id = $1",
          params: [instanceId],
        },
      },
    );
    const [maxUpdated, live, deleted] = result.rows[0] ?? [null, "0", "0"];
    if (maxUpdated === null) {
      return undefined; // nothing stored yet: the backfill fills it
    }
    if (Date.parse(maxUpdated) > simMax) {
      return "issues changed during an earlier run are newer than the regenerated simulator";
    }
    if (Number(live) !== simCount || Number(deleted) > 0) {
      return `it stores ${live} live and ${deleted} deleted issues, the simulator has ${simCount}`;
    }
    return undefined;
  } catch (error) {
    return `could not compare it with the simulator (${error instanceof Error ? error.message : error})`;
  }
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

async function keyWorks(apiUrl: string, apiKey: string): Promise<boolean> {
  try {
    await call("GET", `${apiUrl}/v1/instances?limit=1`, { token: apiKey });
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      return false;
    }
    throw error;
  }
}

async function getInstance(
  apiUrl: string,
  apiKey: string,
  id: string,
): Promise<InstanceInfo | undefined> {
  try {
    return await call<InstanceInfo>("GET", `${apiUrl}/v1/instances/${id}`, { token: apiKey });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return undefined;
    }
    throw error;
  }
}

const PROGRESS_EVERY_MS = 2_000;

async function followBackfill(
  context: DemoContext,
  sim: JiraSimHandle,
  demo: Demo,
  stopped: () => boolean,
): Promise<void> {
  const started = Date.now();
  let lastLine = "";
  let lastPrinted = 0;
  const status = await waitForBackfill(context.url, demo.apiKey, demo.instance.id, {
    intervalMs: 500,
    stopped,
    onProgress: (current) => {
      const line = describeBackfill(current, DEMO_ISSUES);
      const finished = current.backfill.status !== "running";
      if (!finished && line !== lastLine && Date.now() - lastPrinted >= PROGRESS_EVERY_MS) {
        context.log(`demo: ${line}`);
        lastLine = line;
        lastPrinted = Date.now();
      }
    },
  });
  if (!status || stopped()) {
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status.backfill.status === "failed") {
    context.log(`demo: the backfill failed: ${status.backfill.error ?? status.lastError}`);
  } else {
    context.log(
      `demo: ${describeBackfill(status, DEMO_ISSUES)} in ${seconds} s ` +
        `(${status.counters.jiraRequests ?? 0} Jira requests so far)`,
    );
  }
  console.log(await instructions(context.url, sim, demo, status));
}

/** The block printed once the demo data is in: key, variables, curl commands. */
async function instructions(
  apiUrl: string,
  sim: JiraSimHandle,
  demo: Demo,
  status: SyncStatus,
): Promise<string> {
  const paths = await servedPaths(apiUrl);
  const soon = (...routes: string[]) =>
    paths.size > 0 && routes.some((route) => !paths.has(route))
      ? " — not served by this build yet"
      : "";
  const sample = await sampleIssue(sim.url);
  const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;
  const auth = `-H "Authorization: Bearer $DS_KEY"`;
  const json = `-H 'content-type: application/json'`;
  const quiet = `-o /dev/null -w '%{http_code}\\n'`;
  const line = "─".repeat(78);
  return [
    "",
    line,
    ` ${bold("Demo data is ready")} — ${status.backfill.issuesSynced} issues from the Jira simulator`,
    "",
    `   API key       ${bold(demo.apiKey)}   (scopes read, write, sql, ai)`,
    `   Instance      ${demo.instance.id}`,
    `   Simulator     ${sim.url}   (Jira Cloud REST v3 + control API /_sim/…)`,
    "",
    "   Paste into a shell:",
    `   export DS=${apiUrl} DS_KEY=${demo.apiKey} DS_INSTANCE=${demo.instance.id} SIM=${sim.url}`,
    "",
    "   # instances, sync status",
    `   curl -s $DS/v1/instances ${auth}`,
    `   curl -s $DS/v1/instances/$DS_INSTANCE/sync ${auth}`,
    "",
    `   # search issues (full text), then one issue${soon("/v1/issues", "/v1/issues/{key}")}`,
    `   curl -s "$DS/v1/issues?instanceId=$DS_INSTANCE&q=${encodeURIComponent(sample.word)}&limit=5" ${auth}`,
    `   curl -s "$DS/v1/issues/${sample.key}?instanceId=$DS_INSTANCE" ${auth}`,
    "",
    `   # read-only SQL over your tenant's data${soon("/v1/sql")}`,
    `   curl -s -X POST $DS/v1/sql ${auth} ${json} \\`,
    `     -d '{"query":"select status, count(*) from issues group by status order by 2 desc"}'`,
    "",
    "   # change an issue in the simulated Jira: it arrives here as a signed webhook",
    `   curl -s ${quiet} -X PATCH $SIM/_sim/issues/${sample.key} ${json} \\`,
    `     -d '{"fields":{"summary":"Renamed in Jira"},"webhook":true}'`,
    `   curl -s ${quiet} -X POST $SIM/_sim/issues/${sample.key}/comments ${json} \\`,
    `     -d '{"text":"A comment made in Jira","webhook":true}'`,
    "   # …then read it back (applied within a second or two):",
    ...(paths.has("/v1/issues/{key}")
      ? [
          `   curl -s "$DS/v1/issues/${sample.key}?instanceId=$DS_INSTANCE&include=comments" ${auth}`,
        ]
      : []),
    `   curl -s -X POST $DS/v1/sql ${auth} ${json} \\`,
    `     -d '{"query":"select key, summary, comments_count, updated from issues where key = $1","params":["${sample.key}"]}'`,
    "",
    "   The simulator's data is regenerated from its seed on every run; tenant, key and",
    "   instance are kept in .data/demo.json and reused while the database has them.",
    line,
    "",
  ].join("\n");
}

/** An issue key and a searchable word from its summary, from the simulator's ground truth. */
async function sampleIssue(simUrl: string): Promise<{ key: string; word: string }> {
  try {
    const page = await call<{ issues: { key: string; fields?: { summary?: string } }[] }>(
      "GET",
      `${simUrl}/_sim/issues?maxResults=5`,
    );
    const issue = page.issues[0];
    const words = (issue?.fields?.summary ?? "").split(/[^\p{L}\p{N}]+/u);
    const word = words.find((candidate) => candidate.length >= 5) ?? words[0] ?? "error";
    return { key: issue?.key ?? "WEB-1", word: word.toLowerCase() };
  } catch {
    return { key: "WEB-1", word: "error" };
  }
}
