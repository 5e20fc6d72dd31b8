import { adminQuery } from "./admin-db";
import { insertInstance } from "./factories";

export const ANA = { accountId: "5b10ac8d82e05b22cc7d4ef5", displayName: "Ana Silva" };
export const BRUNO = {
  accountId: "712020:9f8e7d6c-5b4a-4392-a1b0-c9d8e7f6a5b4",
  displayName: "Bruno Okafor",
};

export interface SeedIssue {
  key: string;
  type: string;
  priority: string;
  labels: string[];
  components: string[];
  assignee: string | null;
  summary: string;
  description: string;
  status?: string;
  category?: string;
  resolvedDaysAfter?: number;
}

/** A small WEB project whose text carries signal: Safari/UI bugs by Ana, API tasks by Bruno. */
export const WEB_ISSUES: SeedIssue[] = [
  {
    key: "WEB-1",
    type: "Bug",
    priority: "High",
    labels: ["frontend"],
    components: ["UI"],
    assignee: ANA.accountId,
    summary: "Login button does not respond on Safari",
    description:
      "Clicking the login button on Safari does nothing. The console shows a CSP error for the inline script. Users cannot sign in from Safari at all.",
    status: "Done",
    category: "done",
    resolvedDaysAfter: 4,
  },
  {
    key: "WEB-2",
    type: "Bug",
    priority: "High",
    labels: ["frontend"],
    components: ["UI"],
    assignee: ANA.accountId,
    summary: "Login button does not respond in Safari browser",
    description: "On Safari the login button is dead: clicking it has no effect.",
  },
  {
    key: "WEB-3",
    type: "Task",
    priority: "Low",
    labels: ["backend"],
    components: ["API"],
    assignee: BRUNO.accountId,
    summary: "Add pagination to the export API",
    description: "The export API returns every row at once; add cursor pagination to the endpoint.",
    status: "Done",
    category: "done",
    resolvedDaysAfter: 10,
  },
  {
    key: "WEB-4",
    type: "Task",
    priority: "Low",
    labels: ["backend"],
    components: ["API"],
    assignee: BRUNO.accountId,
    summary: "Rate limit the export API endpoint",
    description: "Clients hammer the export API endpoint; add a rate limit per API token.",
  },
  {
    key: "WEB-5",
    type: "Bug",
    priority: "High",
    labels: ["frontend"],
    components: ["UI"],
    assignee: ANA.accountId,
    summary: "Safari renders the settings page blank",
    description: "The settings page is blank on Safari; the UI bundle fails to load in Safari.",
  },
  {
    key: "WEB-6",
    type: "Task",
    priority: "Low",
    labels: ["backend"],
    components: ["API"],
    assignee: BRUNO.accountId,
    summary: "Document the export API pagination parameters",
    description: "Write the API reference for the export endpoint and its cursor parameters.",
  },
  {
    key: "WEB-7",
    type: "Story",
    priority: "Medium",
    labels: [],
    components: [],
    assignee: null,
    summary: "Dark mode for the dashboard",
    description: "As a user I want a dark theme for the dashboard.",
  },
];

/** A tenant's instance with two people, WEB-1…7 (full-text vectors filled) and a comment thread on WEB-1. */
export async function seedWebProject(tenantId: string): Promise<{ instanceId: string }> {
  const { id: instanceId } = await insertInstance(tenantId);
  await adminQuery(
    `insert into projects (tenant_id, instance_id, jira_id, key, name, raw)
     values ($1, $2, '10', 'WEB', 'Web Platform', '{}')`,
    [tenantId, instanceId],
  );
  for (const person of [ANA, BRUNO]) {
    await adminQuery(
      `insert into users (tenant_id, instance_id, account_id, display_name, raw) values ($1, $2, $3, $4, '{}')`,
      [tenantId, instanceId, person.accountId, person.displayName],
    );
  }
  let n = 0;
  for (const issue of WEB_ISSUES) {
    n += 1;
    await adminQuery(
      `insert into issues (tenant_id, instance_id, jira_id, key, project_key, summary, description_text,
         issue_type, priority, labels, components, assignee_account_id, reporter_account_id, status,
         status_category, created, updated, resolved, jira_updated, raw, search_vector)
       values ($1, $2, $3, $4, 'WEB', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
         now() - interval '20 days' + $15 * interval '1 hour', now(),
         case when $16::int is null then null else now() - interval '20 days' + $15 * interval '1 hour' + $16::int * interval '1 day' end,
         now(), '{}', to_tsvector('english', $5 || ' ' || $6))`,
      [
        tenantId,
        instanceId,
        String(1000 + n),
        issue.key,
        issue.summary,
        issue.description,
        issue.type,
        issue.priority,
        issue.labels,
        issue.components,
        issue.assignee,
        ANA.accountId,
        issue.status ?? "To Do",
        issue.category ?? "new",
        n,
        issue.resolvedDaysAfter ?? null,
      ],
    );
  }
  const thread: [string, string][] = [
    [BRUNO.accountId, "Does it happen on Safari 16 too?"],
    [ANA.accountId, "Yes, on Safari 16 as well. The CSP header blocks the inline login script."],
    [BRUNO.accountId, "Should we ship the fix in 2.1 or wait for 2.2?"],
  ];
  let c = 0;
  for (const [author, text] of thread) {
    c += 1;
    await adminQuery(
      `insert into comments (tenant_id, instance_id, issue_id, jira_id, author_account_id, body_text, created, updated, raw)
       select tenant_id, instance_id, id, $3, $4, $5, now() - interval '1 day' + $6 * interval '1 minute', now(), '{}'
       from issues where tenant_id = $1 and instance_id = $2 and key = 'WEB-1'`,
      [tenantId, instanceId, `c${c}`, author, text, c],
    );
  }
  return { instanceId };
}
