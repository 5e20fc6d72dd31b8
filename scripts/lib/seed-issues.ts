/**
 * Bulk synthetic Jira data, written straight into Postgres with `INSERT … SELECT generate_series`
 * (100,000 issues in seconds): projects, users, issues with realistic spreads of every filterable
 * field, comments, changelogs and links. Pure SQL text and a caller-supplied `query` function, so
 * the same code seeds the test database (inside workerd) and the dev database (Node, `pg`).
 * Values come from hashes of the row number: the same options always give the same data.
 */

export type Query = (text: string, params: unknown[]) => Promise<unknown>;

export const SEED_PROJECTS = "CORE WEB MOB API OPS DATA SEC INFRA QA DOCS".split(" ");
/** Weighted like a real site: most issues are done. [name, category] */
const STATUS_WEIGHTS: [string, string, number][] = [
  ["Backlog", "new", 2],
  ["To Do", "new", 2],
  ["Selected", "new", 1],
  ["In Progress", "indeterminate", 3],
  ["In Review", "indeterminate", 1],
  ["Blocked", "indeterminate", 1],
  ["Done", "done", 7],
  ["Closed", "done", 3],
];
export const SEED_TYPES = ["Bug", "Story", "Task", "Epic", "Sub-task"];
export const SEED_PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"];
export const SEED_ASSIGNEES = 50;
export const SEED_LABELS = Array.from({ length: 30 }, (_, i) => `label-${i}`);
export const SEED_TEAMS = ["Atlas", "Boreal", "Cirrus", "Delta", "Ember", "Fjord", "Gale", "Helix"];
const WORDS = (
  "login payment checkout search cache timeout crash memory export import invoice report " +
  "dashboard mobile android ios upload download sync webhook database index migration latency " +
  "billing refund email notification password session token permission audit backup restore " +
  "deploy rollback pipeline kubernetes docker gateway firewall certificate encryption profile " +
  "avatar calendar schedule reminder chart graph filter sort pagination tooltip layout font " +
  "button modal dropdown sidebar header footer banner carousel wizard stepper checkbox slider " +
  "tenant account subscription coupon discount tax shipping warehouse inventory catalog price " +
  "order cart wishlist review rating comment thread mention reaction attachment preview thumbnail " +
  "render hydration bundle chunk minify polyfill transpile lint format typecheck coverage snapshot " +
  "queue worker cron scheduler retry backoff throttle quota ratelimit circuit fallback replica " +
  "shard partition vacuum deadlock transaction isolation constraint trigger sequence cursor " +
  "websocket stream buffer socket proxy loadbalancer dns tls handshake redirect cookie cors " +
  "oauth saml sso mfa captcha signup onboarding invite role group team workspace project " +
  "locale translation timezone currency keyboard accessibility contrast screenreader focus " +
  "analytics telemetry metric trace span alert pager incident postmortem runbook oncall " +
  "printer scanner barcode camera microphone bluetooth battery offline cache-miss regression"
).split(" ");

const list = (values: readonly string[]) =>
  `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;
/** A pseudo-random non-negative integer for row `g` and salt `k` (stable across runs). */
const h = (k: number) => `(hashint8(g::bigint * 1000 + ${k} + salt)::bigint + 2147483648)`;
/** A 1-based array subscript in 1..n (subscripts must be int4). */
const at = (k: number, n: number, shift = 0) => `((${h(k)} + ${shift}) % ${n} + 1)::int`;
const pick = (values: readonly string[], k: number) => `(${list(values)})[${at(k, values.length)}]`;
const words = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => pick(WORDS, k + i)).join(" || ' ' || ");
const weightedStatus = list(STATUS_WEIGHTS.flatMap(([name, , w]) => Array(w).fill(name)));
const totalWeight = STATUS_WEIGHTS.reduce((sum, [, , w]) => sum + w, 0);
const categoryOf = `case ${STATUS_WEIGHTS.map(([n, c]) => `when '${n}' then '${c}'`).join(" ")} end`;
/** Only some issues have comments; their text is a function of g so issues can index it first. */
const commentText = `case when g % 3 = 0 then 'Investigated the ' || ${words(3, 40)} || ' problem' end`;
const TWO_YEARS_MS = 2 * 365 * 24 * 3600 * 1000;

export interface BulkSeedOptions {
  tenantId: string;
  instanceId: string;
  count: number;
  /** Row numbers (and so jira ids and key numbers) start after this; lets seeds add up. */
  offset?: number;
  /** Varies the data between tenants. */
  salt?: number;
  /** Newest possible `updated`; data spreads over the two years before it. */
  now?: Date;
  /** Comments, changelogs and links too (default true; query-plan tests need only issues). */
  children?: boolean;
  /** Statements run at once, each on its own slice of rows (`query` must not share a socket). */
  parallel?: number;
}

interface Range {
  first: number;
  last: number;
  salt: number;
}

function issuesSql({ first, last, salt }: Range): string {
  const assignee = `case when ${h(5)} % 10 = 0 then null else 'acc-' || lpad((${h(6)} % ${SEED_ASSIGNEES})::text, 2, '0') end`;
  const label = (shift: number) => `(${list(SEED_LABELS)})[${at(7, 30, shift)}]`;
  const labelsExpr = `(array[${label(0)}, ${label(7)}, ${label(13)}])[1:(${h(8)} % 4)::int]`;
  const customFields = `jsonb_strip_nulls(jsonb_build_object(
    'customfield_10010', case when ${h(9)} % 5 = 0 then null else to_jsonb(${pick(SEED_TEAMS, 10)}) end,
    'customfield_10020', (array[1,2,3,5,8,13])[${at(11, 6)}],
    'customfield_10030', jsonb_build_object('value', 'Sev-' || (1 + ${h(12)} % 4), 'id', (10100 + ${h(12)} % 4)::text),
    'customfield_10040', case when ${h(13)} % 2 = 0
      then jsonb_build_array(jsonb_build_object('value', ${pick(["Linux", "macOS", "Windows"], 14)}))
      else jsonb_build_array(jsonb_build_object('value', 'Linux'), jsonb_build_object('value', 'Windows')) end,
    'customfield_10050', to_jsonb(array[${pick(["alpha", "beta", "gamma", "delta"], 15)}]),
    'customfield_10060', jsonb_build_object('accountId', 'acc-' || lpad((${h(16)} % ${SEED_ASSIGNEES})::text, 2, '0'))))`;
  return `
  insert into issues (tenant_id, instance_id, jira_id, key, project_key, project_id, summary,
    description, description_text, status, status_id, status_category, issue_type, priority,
    priority_id, assignee_account_id, reporter_account_id, labels, custom_fields, created, updated,
    resolved, raw, jira_updated, comments_count, changelog_count, search_vector)
  select $1::uuid, $2::uuid, s.jira_id, s.key, s.project_key, s.project_id, s.summary,
    jsonb_build_object('type', 'doc', 'version', 1, 'content', jsonb_build_array(jsonb_build_object(
      'type', 'paragraph', 'content', jsonb_build_array(jsonb_build_object('type', 'text', 'text', s.description_text))))),
    s.description_text, s.status, s.status, ${categoryOf.replace("case", "case s.status")}, s.issue_type,
    s.priority, s.priority, s.assignee, s.reporter, s.labels, s.custom_fields, s.created, s.updated,
    case when s.status in ('Done', 'Closed') then s.updated end,
    jsonb_build_object('id', s.jira_id, 'key', s.key), s.updated,
    case when s.comment_text is null then 0 else 1 end, 1,
    setweight(to_tsvector('english', s.summary), 'A') || setweight(to_tsvector('english', s.description_text), 'B')
      || setweight(to_tsvector('english', coalesce(s.comment_text, '')), 'C')
  from (
    select g, (10000 + g)::text as jira_id,
      (${list(SEED_PROJECTS)})[1 + g % 10] || '-' || (g / 10 + 1) as key,
      (${list(SEED_PROJECTS)})[1 + g % 10] as project_key, (100 + g % 10)::text as project_id,
      ${words(4, 0)} || ' ' || g as summary,
      'When the user opens the ' || ${words(6, 20)} || ' page it fails' as description_text,
      (${weightedStatus})[${at(1, totalWeight)}] as status,
      ${pick(SEED_TYPES, 2)} as issue_type, ${pick(SEED_PRIORITIES, 3)} as priority,
      ${assignee} as assignee, 'acc-' || lpad((${h(4)} % ${SEED_ASSIGNEES})::text, 2, '0') as reporter,
      ${labelsExpr} as labels, ${customFields} as custom_fields,
      $3::timestamptz - (${h(17)} % ${TWO_YEARS_MS}) * interval '1 millisecond' as created,
      $3::timestamptz - (${h(18)} % (${h(17)} % ${TWO_YEARS_MS} + 1)) * interval '1 millisecond' as updated,
      ${commentText} as comment_text
    from generate_series(${first}, ${last}) as g, (select ${salt} as salt) as v
  ) as s`;
}

/** Comments and changelogs of the seeded issues, recomputed from g (= jira_id - 10000). */
function childrenSql({ first, last, salt }: Range): string[] {
  const rows = `from issues i cross join lateral (select i.jira_id::int - 10000 as g, ${salt} as salt) as n
    where i.tenant_id = $1 and i.instance_id = $2 and n.g between ${first} and ${last}`;
  return [
    `insert into comments (tenant_id, instance_id, issue_id, jira_id, author_account_id, body, body_text, created, updated, raw)
     select i.tenant_id, i.instance_id, i.id, 'c' || i.jira_id, i.reporter_account_id, null, c.text, i.updated, i.updated, '{}'
     ${rows.replace("as n", `as n cross join lateral (select ${commentText} as text) as c`)} and c.text is not null`,
    `insert into changelogs (tenant_id, instance_id, issue_id, jira_id, author_account_id, created, items)
     select i.tenant_id, i.instance_id, i.id, 'h' || i.jira_id, i.reporter_account_id, i.updated,
       jsonb_build_array(jsonb_build_object('field', 'status', 'fieldId', 'status', 'fromString', 'To Do', 'toString', i.status))
     ${rows}`,
    `insert into issue_links (tenant_id, instance_id, issue_id, jira_id, link_type, direction, description, other_issue_key)
     select i.tenant_id, i.instance_id, i.id, 'l' || i.jira_id, 'Blocks', 'outward', 'blocks',
       i.project_key || '-' || greatest(1, n.g / 10)
     ${rows} and n.g % 10 = 5`,
  ];
}

/** Inserts `count` issues (and their children) for one tenant's instance. */
export async function seedBulkIssues(query: Query, options: BulkSeedOptions): Promise<void> {
  const offset = options.offset ?? 0;
  const range = { first: offset + 1, last: offset + options.count, salt: options.salt ?? 0 };
  if (!Object.values(range).every(Number.isSafeInteger)) {
    throw new Error("count, offset and salt must be integers");
  }
  const now = (options.now ?? new Date()).toISOString();
  const parts = Math.max(1, Math.min(options.parallel ?? 1, options.count));
  const size = Math.ceil(options.count / parts);
  const slices = Array.from({ length: parts }, (_, i) => ({
    ...range,
    first: range.first + i * size,
    last: Math.min(range.last, range.first + (i + 1) * size - 1),
  }));
  await Promise.all(
    slices.map(async (slice) => {
      await query(issuesSql(slice), [options.tenantId, options.instanceId, now]);
      for (const text of options.children === false ? [] : childrenSql(slice)) {
        await query(text, [options.tenantId, options.instanceId]);
      }
    }),
  );
}

/** The catalogue rows the bulk issues refer to: 10 projects and 50 users (no raw emails). */
export async function seedCatalog(
  query: Query,
  options: { tenantId: string; instanceId: string },
): Promise<void> {
  const params = [options.tenantId, options.instanceId];
  await query(
    `insert into projects (tenant_id, instance_id, jira_id, key, name, raw)
     select $1, $2, (100 + i - 1)::text, k, 'Project ' || k, '{}'
     from unnest(${list(SEED_PROJECTS)}) with ordinality as p(k, i) on conflict do nothing`,
    params,
  );
  await query(
    `insert into users (tenant_id, instance_id, account_id, display_name, active, email_hash, raw)
     select $1, $2, 'acc-' || lpad(n::text, 2, '0'), 'User ' || n, n % 10 <> 9,
       encode(sha256(convert_to('user' || n || '@example.com', 'UTF8')), 'hex'), '{}'
     from generate_series(0, ${SEED_ASSIGNEES - 1}) as n on conflict do nothing`,
    params,
  );
}
