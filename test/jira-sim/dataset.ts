// Deterministic dataset generation: the same seed and sizes always produce the same site, so
// sync tests can compare what they stored with the ground truth byte for byte.

import { generateCommentDoc, generateDoc, type Mentionable, sentence } from "./adf.ts";
import {
  CUSTOM_FIELDS,
  DONE_RESOLUTION_ID,
  EPIC_TYPE_ID,
  INITIAL_STATUS_ID,
  LINK_TYPES,
  PRIORITIES,
  RESOLUTIONS,
  STATUSES,
  SUBTASK_TYPE_ID,
} from "./catalog.ts";
import type { Comment, History, HistoryItem, Issue, Project, User } from "./model.ts";
import { createRng, deriveSeed, type Rng } from "./prng.ts";
import { Store } from "./store.ts";
import { formatDate } from "./time.ts";

export interface DatasetOptions {
  seed: number;
  issues: number;
  projects: number;
  users: number;
  timeZone: string;
  adminEmail: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Fixed anchor so generated timestamps do not depend on when the test runs. */
const END = Date.UTC(2025, 5, 30, 16, 0, 0);
const START = END - 540 * DAY;

const FIRST = [
  "Ana",
  "Bruno",
  "Chen",
  "Dana",
  "Elif",
  "Farah",
  "Gustav",
  "Hana",
  "Ivan",
  "Jonas",
  "Kaito",
  "Lea",
  "Mateo",
  "Nadia",
  "Omar",
  "Priya",
  "Quinn",
  "Rosa",
  "Sven",
  "Tariq",
  "Uma",
  "Viktor",
  "Wen",
  "Ximena",
  "Yusuf",
  "Zoë",
];
const LAST = [
  "Müller",
  "Okafor",
  "Nakamura",
  "Silva",
  "Kowalski",
  "Haddad",
  "Johansson",
  "O'Brien",
  "Novak",
  "García",
  "Dubois",
  "Rossi",
  "Ivanova",
  "Kim",
  "Larsen",
  "Patel",
];
const TIME_ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Sydney"];
const PROJECT_NAMES: [string, string][] = [
  ["OPS", "Operations"],
  ["WEB", "Web Platform"],
  ["DATA", "Data Pipeline"],
  ["MOB", "Mobile Apps"],
  ["CORE", "Core Services"],
  ["SEC", "Security"],
  ["INFRA", "Infrastructure"],
  ["PAY", "Payments"],
];
const LABELS = [
  "backend",
  "frontend",
  "urgent",
  "customer",
  "tech-debt",
  "sync",
  "perf",
  "ux",
  "été",
];
const COMPONENTS = ["API", "Worker", "Database", "UI", "Auth", "Billing", "Search"];

function makeUsers(rng: Rng, count: number, timeZone: string, adminEmail: string): User[] {
  const users: User[] = [];
  const n = Math.max(1, count);
  for (let i = 0; i < n; i++) {
    const isApp = n >= 5 && (i === n - 1 || i === n - 2);
    if (isApp) {
      const automation = i === n - 1;
      users.push({
        accountId: automation
          ? "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
          : `5d9f${rng.hex(20)}`,
        displayName: automation ? "Automation for Jira" : "Slack",
        email: null,
        accountType: "app",
        active: true,
        timeZone: "UTC",
        locale: "en_US",
      });
      continue;
    }
    const first = FIRST[i % FIRST.length] ?? "Ana";
    const last = rng.pick(LAST);
    const accountId = rng.chance(0.5)
      ? `712020:${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-a${rng.hex(3)}-${rng.hex(12)}`
      : `5b10${rng.hex(20)}`;
    const hidden = i > 0 && rng.chance(0.3);
    const localPart = `${first}.${last}`
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z.]/g, "");
    users.push({
      accountId,
      displayName: i === 0 ? `${first} ${last} (Admin)` : `${first} ${last}`,
      email: i === 0 ? adminEmail : hidden ? null : `${localPart}${i}@example.com`,
      accountType: "atlassian",
      active: i === 0 || !rng.chance(0.1),
      timeZone: i === 0 ? timeZone : rng.pick(TIME_ZONES),
      locale: rng.pick(["en_US", "en_GB", "de_DE"]),
    });
  }
  return users;
}

function makeProjects(rng: Rng, count: number, users: User[]): Project[] {
  const projects: Project[] = [];
  let componentId = 10000;
  let versionId = 10000;
  for (let i = 0; i < Math.max(1, count); i++) {
    const [key, name] = PROJECT_NAMES[i] ?? [`P${i + 1}`, `Project ${i + 1}`];
    const components = rng.sample(COMPONENTS, rng.int(2, 4)).map((c) => ({
      id: String(componentId++),
      name: c,
      description: `${c} component`,
    }));
    const versions = ["1.0", "1.1", "2.0"].slice(0, rng.int(2, 3)).map((v, idx) => ({
      id: String(versionId++),
      name: `${key} ${v}`,
      released: idx === 0,
      releaseDate: idx === 0 ? "2025-02-14" : null,
    }));
    projects.push({
      id: String(10000 + i),
      key,
      name,
      description: `${name} project`,
      leadAccountId: rng.pick(users.filter((u) => u.accountType === "atlassian")).accountId,
      components,
      versions,
      nextIssueNumber: 1,
    });
  }
  return projects;
}

/** Values each field takes over an issue's life, newest last, ending at the current value. */
function chain<T>(rng: Rng, current: T, steps: number, pool: readonly T[]): T[] {
  const values = [current];
  for (let i = 0; i < steps; i++) {
    const prev = values[0] as T;
    const options = pool.filter((v) => v !== prev);
    values.unshift(options.length > 0 ? rng.pick(options) : prev);
  }
  return values;
}

const HUMANS = new WeakMap<Store, User[]>();

interface PendingChange {
  items: HistoryItem[];
  status?: string;
}

function generateIssue(
  store: Store,
  rng: Rng,
  index: number,
  total: number,
  created: number,
  heavy: boolean,
  recent: Issue[],
): Issue {
  const users = store.users;
  const humans = HUMANS.get(store) ?? users.filter((u) => u.accountType === "atlassian");
  HUMANS.set(store, humans);
  const mentionable: Mentionable[] = humans;
  const project = rng.pick(store.projects);
  const num = project.nextIssueNumber++;
  const id = store.newIssueId();

  let typeId = rng.pick(["10000", "10001", "10001", "10002", "10002", "10003", "10004", "10004"]);
  let parentId: string | null = null;
  const sameProject = recent.filter((i) => i.projectId === project.id);
  if (typeId === SUBTASK_TYPE_ID) {
    const parents = sameProject.filter(
      (i) => i.issueTypeId !== SUBTASK_TYPE_ID && i.issueTypeId !== EPIC_TYPE_ID,
    );
    if (parents.length > 0) {
      parentId = rng.pick(parents).id;
    } else {
      typeId = "10002";
    }
  } else if (typeId !== EPIC_TYPE_ID && rng.chance(0.3)) {
    const epics = sameProject.filter((i) => i.issueTypeId === EPIC_TYPE_ID);
    if (epics.length > 0) {
      parentId = rng.pick(epics).id;
    }
  }
  if (heavy && typeId === SUBTASK_TYPE_ID) {
    typeId = "10003";
    parentId = null;
  }

  // Status path: a random walk from the initial status; its last step is the current status.
  const statusIds = STATUSES.map((s) => s.id);
  const target = rng.pick(["10000", "10000", "3", "3", "10001", "10002", "10002", "10002"]);
  const path = [INITIAL_STATUS_ID];
  const walk = heavy ? rng.int(35, 45) : rng.int(0, 2);
  for (let i = 0; i < walk; i++) {
    const last = path[path.length - 1];
    path.push(rng.pick(statusIds.filter((s) => s !== last)));
  }
  if (path[path.length - 1] !== target) {
    path.push(target);
  }

  const assignee = rng.chance(0.8) ? rng.pick(humans).accountId : null;
  const priorityId = rng.pick(PRIORITIES).id;
  const labels = rng.sample(LABELS, rng.chance(0.6) ? rng.int(1, 3) : 0).sort();
  const reporter = rng.pick(humans).accountId;
  const summary = sentence(rng, 3, 9).replace(/\.$/, "");
  const long = index % 997 === 3 || (total >= 10 && index === 3);

  const issue: Issue = {
    id,
    key: `${project.key}-${num}`,
    projectId: project.id,
    issueTypeId: typeId,
    statusId: target,
    priorityId,
    resolutionId: null,
    summary: index % 53 === 7 ? `${summary} — «Ünïcødé» 🚀 "quotes" & <tags>` : summary,
    description: rng.chance(0.9) ? generateDoc(rng, mentionable, long) : null,
    environment: rng.chance(0.1) ? generateDoc(rng, mentionable) : null,
    assigneeId: assignee,
    reporterId: reporter,
    creatorId: rng.chance(0.9) ? reporter : rng.pick(users).accountId,
    labels,
    componentIds: rng.sample(project.components, rng.int(0, 2)).map((c) => c.id),
    fixVersionIds: rng.chance(0.4) ? [rng.pick(project.versions).id] : [],
    versionIds: rng.chance(0.2) ? [rng.pick(project.versions).id] : [],
    duedate: rng.chance(0.3) ? formatDate(created + rng.int(5, 60) * DAY, store.timeZone) : null,
    parentId,
    created,
    updated: created,
    resolutionDate: null,
    statusCategoryChangeDate: created,
    custom: {},
    comments: [],
    histories: [],
    votes: rng.int(0, 3),
    watchers: rng.int(1, 4),
  };
  fillCustomFields(store, rng, issue, humans);

  // Non-status field changes, built so the newest change ends at the current value.
  const changes: PendingChange[] = [];
  for (let i = 1; i < path.length; i++) {
    const from = store.statusById.get(path[i - 1] ?? "");
    const to = store.statusById.get(path[i] ?? "");
    if (!from || !to) {
      continue;
    }
    const items: HistoryItem[] = [
      {
        field: "status",
        fieldtype: "jira",
        fieldId: "status",
        from: from.id,
        fromString: from.name,
        to: to.id,
        toString: to.name,
      },
    ];
    if (to.category === "done" && from.category !== "done") {
      items.push(resolutionItem(null, DONE_RESOLUTION_ID));
    } else if (from.category === "done" && to.category !== "done") {
      items.push(resolutionItem(DONE_RESOLUTION_ID, null));
    }
    changes.push({ items, status: to.id });
  }
  const assigneeSteps = heavy ? 30 : rng.int(0, 2);
  const assigneeChain = chain<string | null>(rng, assignee, assigneeSteps, [
    null,
    ...humans.map((u) => u.accountId),
  ]);
  const priorityChain = chain(
    rng,
    priorityId,
    heavy ? 25 : rng.int(0, 1),
    PRIORITIES.map((p) => p.id),
  );
  const otherChanges: HistoryItem[][] = [];
  for (let i = 1; i < assigneeChain.length; i++) {
    const from = assigneeChain[i - 1] ?? null;
    const to = assigneeChain[i] ?? null;
    otherChanges.push([
      {
        field: "assignee",
        fieldtype: "jira",
        fieldId: "assignee",
        from,
        fromString: from ? (store.userById.get(from)?.displayName ?? null) : null,
        to,
        toString: to ? (store.userById.get(to)?.displayName ?? null) : null,
      },
    ]);
  }
  for (let i = 1; i < priorityChain.length; i++) {
    const from = store.priorityById.get(priorityChain[i - 1] ?? "");
    const to = store.priorityById.get(priorityChain[i] ?? "");
    otherChanges.push([
      {
        field: "priority",
        fieldtype: "jira",
        fieldId: "priority",
        from: from?.id ?? null,
        fromString: from?.name ?? null,
        to: to?.id ?? null,
        toString: to?.name ?? null,
      },
    ]);
  }
  if (heavy) {
    for (let i = 0; i < 30; i++) {
      otherChanges.push([
        {
          field: "summary",
          fieldtype: "jira",
          fieldId: "summary",
          from: null,
          fromString: `Draft ${i}: ${summary}`,
          to: null,
          toString: i === 29 ? issue.summary : `Draft ${i + 1}: ${summary}`,
        },
      ]);
    }
  }
  // Interleave non-status changes randomly between status changes, keeping each chain's order.
  const merged: PendingChange[] = [...changes];
  for (const items of otherChanges) {
    merged.splice(rng.int(0, merged.length), 0, { items });
  }
  // Random insertion shuffles each field's changes, so re-thread from/to in final order.
  relinkChains(merged, "assignee", assigneeChain, store);
  relinkPriority(merged, priorityChain, store);

  const commentCount = heavy ? rng.int(120, 150) : rng.chance(0.55) ? rng.int(1, 5) : 0;
  const eventCount = merged.length + commentCount;
  const span = Math.min(END - created, (heavy ? 200 : rng.int(0, 60)) * DAY + rng.int(0, DAY));
  const times: number[] = [];
  for (let i = 0; i < eventCount; i++) {
    times.push(created + MINUTE + Math.floor(rng.next() * Math.max(0, span - MINUTE)));
  }
  times.sort((a, b) => a - b);
  const kinds = rng.shuffle([
    ...merged.map((_, i) => ({ change: i })),
    ...Array.from({ length: commentCount }, () => ({ change: -1 })),
  ]);
  // Histories must stay in path order, so assign them the sorted times in sequence.
  let changeCursor = 0;
  for (let i = 0; i < eventCount; i++) {
    const at = times[i] ?? created;
    const kind = kinds[i];
    if (kind && kind.change >= 0) {
      const change = merged[changeCursor++];
      if (!change) {
        continue;
      }
      const history: History = {
        id: store.newHistoryId(),
        authorId: rng.chance(0.1)
          ? (users[users.length - 1]?.accountId ?? reporter)
          : rng.pick(humans).accountId,
        created: at,
        items: change.items,
      };
      issue.histories.push(history);
      applyStatusEffects(store, issue, change, at);
    } else {
      const author = rng.pick(humans).accountId;
      const edited = rng.chance(0.15);
      const comment: Comment = {
        id: store.newCommentId(),
        authorId: author,
        updateAuthorId: edited && rng.chance(0.3) ? rng.pick(humans).accountId : author,
        body: generateCommentDoc(rng, mentionable),
        created: at,
        updated: edited ? Math.min(at + rng.int(1, 600) * MINUTE, times[eventCount - 1] ?? at) : at,
      };
      issue.comments.push(comment);
    }
    issue.updated = Math.max(issue.updated, at);
  }
  return issue;
}

function resolutionItem(from: string | null, to: string | null): HistoryItem {
  const name = (id: string | null) =>
    id ? (RESOLUTIONS.find((r) => r.id === id)?.name ?? null) : null;
  return {
    field: "resolution",
    fieldtype: "jira",
    fieldId: "resolution",
    from,
    fromString: name(from),
    to,
    toString: name(to),
  };
}

function applyStatusEffects(store: Store, issue: Issue, change: PendingChange, at: number): void {
  if (!change.status) {
    return;
  }
  const before = store.statusById.get(issue.statusId);
  const after = store.statusById.get(change.status);
  if (after?.category === "done") {
    issue.resolutionId = DONE_RESOLUTION_ID;
    issue.resolutionDate = at;
  } else {
    issue.resolutionId = null;
    issue.resolutionDate = null;
  }
  if (before?.category !== after?.category) {
    issue.statusCategoryChangeDate = at;
  }
}

function relinkChains(
  merged: PendingChange[],
  field: string,
  values: (string | null)[],
  store: Store,
): void {
  let i = 1;
  for (const change of merged) {
    for (const item of change.items) {
      if (item.fieldId === field) {
        const from = values[i - 1] ?? null;
        const to = values[i] ?? null;
        item.from = from;
        item.fromString = from ? (store.userById.get(from)?.displayName ?? null) : null;
        item.to = to;
        item.toString = to ? (store.userById.get(to)?.displayName ?? null) : null;
        i++;
      }
    }
  }
}

function relinkPriority(merged: PendingChange[], values: string[], store: Store): void {
  let i = 1;
  for (const change of merged) {
    for (const item of change.items) {
      if (item.fieldId === "priority") {
        const from = store.priorityById.get(values[i - 1] ?? "");
        const to = store.priorityById.get(values[i] ?? "");
        item.from = from?.id ?? null;
        item.fromString = from?.name ?? null;
        item.to = to?.id ?? null;
        item.toString = to?.name ?? null;
        i++;
      }
    }
  }
}

function fillCustomFields(store: Store, rng: Rng, issue: Issue, humans: User[]): void {
  for (const def of CUSTOM_FIELDS) {
    if (!rng.chance(def.type === "rank" ? 1 : 0.45)) {
      continue;
    }
    let value: unknown;
    switch (def.type) {
      case "textfield":
        value = `CR-${rng.int(1000, 9999)}`;
        break;
      case "textarea":
        value = generateDoc(rng, humans);
        break;
      case "float":
        value = rng.pick([0.5, 1, 2, 3, 5, 8, 13]);
        break;
      case "select":
        value = rng.pick(def.options).id;
        break;
      case "multiselect":
        value = rng.sample(def.options, rng.int(1, 3)).map((o) => o.id);
        break;
      case "userpicker":
        value = rng.pick(humans).accountId;
        break;
      case "multiuserpicker":
        value = rng.sample(humans, rng.int(1, 3)).map((u) => u.accountId);
        break;
      case "datepicker":
        value = formatDate(issue.created + rng.int(1, 90) * DAY, store.timeZone);
        break;
      case "datetime":
        value = issue.created + rng.int(1, 90) * DAY + rng.int(0, 1439) * MINUTE;
        break;
      case "labels":
        value = rng.sample(["alpha", "beta", "gamma", "delta"], rng.int(1, 2)).sort();
        break;
      case "url":
        value = `https://example.com/design/${rng.hex(6)}`;
        break;
      case "rank":
        value = `0|i${issue.id.padStart(5, "0")}:`;
        break;
    }
    issue.custom[def.id] = value;
  }
}

/** Builds a fully populated store. */
export function generateDataset(opts: DatasetOptions): Store {
  const rng = createRng(deriveSeed(opts.seed, "dataset"));
  const users = makeUsers(rng, opts.users, opts.timeZone, opts.adminEmail);
  const projects = makeProjects(rng, opts.projects, users);
  const store = new Store(opts.timeZone, users, projects);
  const n = Math.max(0, opts.issues);
  const heavy = new Set<number>(n >= 10 ? [Math.floor(n / 3), Math.floor((2 * n) / 3)] : []);
  const step = (END - START - 210 * DAY) / Math.max(1, n);
  const recent: Issue[] = [];
  for (let i = 0; i < n; i++) {
    const created = Math.floor(START + i * step + rng.next() * step * 0.9);
    const issue = generateIssue(store, rng, i, n, created, heavy.has(i), recent);
    store.addIssue(issue);
    recent.push(issue);
    if (recent.length > 60) {
      recent.shift();
    }
  }
  makeTies(store, rng);
  makeLinks(store, rng);
  store.version = 0;
  return store;
}

/** Real Jira sites have many issues with the same `updated`; paging must cope with that. */
function makeTies(store: Store, rng: Rng): void {
  const touched = [...store.issues.values()].filter((i) => i.histories.length > 0);
  const groups = Math.max(1, Math.floor(touched.length / 12));
  for (let g = 0; g < groups && touched.length >= 3; g++) {
    const members = rng.sample(touched, rng.int(2, 3));
    const at = Math.max(...members.map((m) => m.updated));
    for (const m of members) {
      const last = m.histories[m.histories.length - 1];
      if (last && m.comments.every((c) => c.updated <= last.created)) {
        if (last.items.some((it) => it.fieldId === "status")) {
          if (m.resolutionDate === last.created) {
            m.resolutionDate = at;
          }
          if (m.statusCategoryChangeDate === last.created) {
            m.statusCategoryChangeDate = at;
          }
        }
        last.created = at;
        m.updated = at;
      }
    }
  }
}

function makeLinks(store: Store, rng: Rng): void {
  const all = [...store.issues.values()];
  const count = Math.floor(all.length * 0.15);
  for (let i = 0; i < count && all.length >= 2; i++) {
    const [a, b] = rng.sample(all, 2);
    if (!a || !b) {
      continue;
    }
    store.addLink({
      id: store.newLinkId(),
      typeId: rng.pick(LINK_TYPES).id,
      sourceId: a.id,
      destinationId: b.id,
    });
  }
}
