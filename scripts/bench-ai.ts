/**
 * `npm run bench:ai`: how good is the built-in AI on a seeded site?
 *  - triage: a seeded site of 1200 issues whose text carries signal the way real trackers do
 *    (component topics, type and priority cue words, each present only with some probability,
 *    plus noise); 20 % held out; accuracy of the built-in classifier (src/domain/ai/classifier.ts)
 *    for type, priority and component against the majority-class baseline.
 *  - duplicates: 60 planted near-duplicates (reworded, reordered, typos); recall@5 of the same
 *    Postgres query GET /v1/ai/issues/{key}/similar runs (pg_trgm + full text), on a real server.
 * Prints a Markdown table (the README's).
 */
import { createRequire } from "node:module";
import { type TriageExample, TriageModel } from "../src/domain/ai/classifier.ts";
import { startEmbeddedPostgres } from "./lib/embedded-postgres.ts";

const require = createRequire(import.meta.url);
const pg = require("pg") as typeof import("pg");

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const weighted = <T>(items: readonly [T, number][]): T => {
  let r = random() * items.reduce((s, [, w]) => s + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r <= 0) {
      return item;
    }
  }
  return items[0]?.[0] as T;
};

const TOPICS: Record<string, string[]> = {
  API: ["endpoint", "request", "response", "json", "pagination", "rest", "payload", "schema"],
  UI: ["button", "page", "layout", "css", "modal", "dropdown", "render", "screen"],
  Database: ["query", "index", "migration", "table", "postgres", "deadlock", "replica", "vacuum"],
  Auth: ["login", "password", "sso", "token", "session", "oauth", "permission", "signup"],
  Billing: ["invoice", "payment", "refund", "subscription", "charge", "stripe", "tax", "coupon"],
  Search: ["search", "results", "ranking", "filter", "relevance", "typeahead", "facet", "query"],
};
const TYPE_CUES: Record<string, string[]> = {
  Bug: ["error", "crash", "fails", "broken", "exception", "wrong", "regression"],
  Story: ["user", "want", "able", "customer", "journey", "should"],
  Task: ["add", "update", "configure", "migrate", "cleanup", "upgrade"],
};
const PRIORITY_CUES: Record<string, string[]> = {
  Highest: ["outage", "production", "down", "urgent", "blocker"],
  High: ["customers", "impact", "soon", "important"],
  Medium: [],
  Low: ["minor", "cosmetic", "someday", "nice"],
};
const FILLER = "the a it when we after before with on for in of and our this that team".split(" ");
const NOISE = "alpha beta gamma delta report note check review sprint week item misc".split(" ");

interface BenchIssue extends TriageExample {
  summary: string;
}

function makeIssue(n: number): BenchIssue {
  const component = pick(Object.keys(TOPICS));
  const type = weighted<string>([
    ["Bug", 5],
    ["Task", 3],
    ["Story", 2],
  ]);
  const priority = weighted<string>([
    ["Medium", 5],
    ["High", 2],
    ["Low", 2],
    ["Highest", 1],
  ]);
  const words: string[] = [];
  const add = (pool: readonly string[], p: number, count: number) => {
    for (let i = 0; i < count; i++) {
      if (pool.length > 0 && random() < p) {
        words.push(pick(pool));
      }
    }
  };
  add(TOPICS[component] ?? [], 0.55, 4);
  add(TYPE_CUES[type] ?? [], 0.45, 3);
  add(PRIORITY_CUES[priority] ?? [], 0.35, 2);
  add(NOISE, 0.6, 4);
  add(FILLER, 0.8, 4);
  const shuffled = words.sort(() => random() - 0.5);
  const summary = shuffled.slice(0, 7).join(" ") || "untitled";
  return {
    key: `SITE-${n}`,
    summary,
    text: `${summary} ${shuffled.slice(7).join(" ")}`,
    type,
    priority,
    assignee: null,
    labels: [],
    components: [component],
  };
}

function triageTable(issues: BenchIssue[]) {
  const cut = Math.floor(issues.length * 0.8);
  const train = issues.slice(0, cut);
  const test = issues.slice(cut);
  const model = new TriageModel(train);
  const fields = {
    type: (e: TriageExample) => e.type,
    priority: (e: TriageExample) => e.priority,
    component: (e: TriageExample) => e.components[0] ?? null,
  };
  const rows: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    const counts = new Map<string | null, number>();
    for (const e of train) {
      counts.set(field(e), (counts.get(field(e)) ?? 0) + 1);
    }
    const majority = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
    let hits = 0;
    let baseline = 0;
    for (const e of test) {
      const s = model.suggest(e.text);
      const guess =
        name === "component"
          ? (s.components[0]?.value ?? null)
          : s[name as "type" | "priority"].value;
      if (guess === field(e)) {
        hits++;
      }
      if (majority === field(e)) {
        baseline++;
      }
    }
    const pct = (k: number) => `${((100 * k) / test.length).toFixed(1)} %`;
    rows.push(
      `| triage: ${name} | ${pct(hits)} | ${pct(baseline)} (always "${majority}") | ${test.length} held out |`,
    );
  }
  return rows;
}

/** Rewords a summary the way a second reporter would: drops, swaps, a typo. */
function nearDuplicate(summary: string): string {
  const words = summary.split(" ");
  if (words.length > 3) {
    words.splice(Math.floor(random() * words.length), 1);
  }
  const i = Math.floor(random() * (words.length - 1));
  [words[i], words[i + 1]] = [words[i + 1] ?? "", words[i] ?? ""];
  const j = Math.floor(random() * words.length);
  const w = words[j] ?? "";
  if (w.length > 4) {
    words[j] = w.slice(0, 2) + w[3] + w[2] + w.slice(4);
  }
  return words.join(" ");
}

async function duplicateRecall(issues: BenchIssue[]): Promise<string> {
  const server = await startEmbeddedPostgres();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    await client.query(`create extension if not exists pg_trgm;
      create table issues (key text primary key, summary text, search_vector tsvector);
      create index on issues using gin (summary gin_trgm_ops)`);
    const originals = issues.filter((i) => i.summary.split(" ").length >= 5).slice(0, 60);
    const all = [
      ...issues,
      ...originals.map((o, n) => ({
        ...o,
        key: `DUP-${n}`,
        summary: nearDuplicate(o.summary),
        text: nearDuplicate(o.text),
      })),
    ];
    for (const i of all) {
      await client.query(
        "insert into issues values ($1, $2, setweight(to_tsvector('english', $2), 'A') || setweight(to_tsvector('english', $3), 'B'))",
        [i.key, i.summary, i.text],
      );
    }
    let found = 0;
    for (let n = 0; n < originals.length; n++) {
      const dup = all.find((i) => i.key === `DUP-${n}`);
      if (!dup) {
        continue;
      }
      const words = [...new Set(dup.text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? [])]
        .slice(0, 40)
        .join(" | ");
      // The same ranking as src/application/ai/similar-issues.ts.
      const { rows } = await client.query<{ key: string }>(
        `select i.key from issues i, to_tsquery('english', $3) q
         where i.key <> $1 and (i.summary % $2 or i.search_vector @@ q)
         order by (similarity(i.summary, $2) >= 0.5) desc,
           0.65 * similarity(i.summary, $2) + 0.35 * coalesce(ts_rank_cd(i.search_vector, q, 32), 0) desc
         limit 5`,
        [dup.key, dup.summary, words],
      );
      if (rows.some((r) => r.key === originals[n]?.key)) {
        found++;
      }
    }
    return `| duplicates: recall@5 | ${((100 * found) / originals.length).toFixed(1)} % | — | ${originals.length} planted near-duplicates among ${all.length} issues |`;
  } finally {
    await client.end();
    await server.stop();
  }
}

const issues = Array.from({ length: 1200 }, (_, n) => makeIssue(n + 1));
const lines = [
  "| measure | built-in | majority baseline | sample |",
  "|---|---|---|---|",
  ...triageTable(issues),
  await duplicateRecall(issues),
];
console.log(lines.join("\n"));
