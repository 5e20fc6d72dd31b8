// The mutable state of one site plus the indexes the routes need (key lookup, links and
// subtasks per issue). `version` increases on every change so search results can be cached.

import {
  CUSTOM_FIELDS,
  ISSUE_TYPES,
  LINK_TYPES,
  PRIORITIES,
  RESOLUTIONS,
  STATUSES,
} from "./catalog.ts";
import type {
  CustomFieldDef,
  DeletedIssue,
  Issue,
  IssueLinkRecord,
  IssueType,
  LinkType,
  Priority,
  Project,
  Resolution,
  Status,
  User,
} from "./model.ts";

function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((i) => [key(i), i]));
}

export class Store {
  readonly timeZone: string;
  baseUrl = "";
  readonly users: User[];
  readonly userById: Map<string, User>;
  readonly projects: Project[];
  readonly projectById: Map<string, Project>;
  readonly projectByKey: Map<string, Project>;
  readonly statusById = indexBy<Status>(STATUSES, (s) => s.id);
  readonly issueTypeById = indexBy<IssueType>(ISSUE_TYPES, (t) => t.id);
  readonly priorityById = indexBy<Priority>(PRIORITIES, (p) => p.id);
  readonly resolutionById = indexBy<Resolution>(RESOLUTIONS, (r) => r.id);
  readonly linkTypeById = indexBy<LinkType>(LINK_TYPES, (l) => l.id);
  readonly customFields: CustomFieldDef[] = CUSTOM_FIELDS;
  readonly customFieldById = indexBy<CustomFieldDef>(CUSTOM_FIELDS, (f) => f.id);
  /** Live issues in insertion (creation) order. */
  readonly issues = new Map<string, Issue>();
  private readonly byKey = new Map<string, Issue>();
  readonly links = new Map<string, IssueLinkRecord>();
  private readonly linksByIssue = new Map<string, Set<string>>();
  private readonly childrenByParent = new Map<string, Set<string>>();
  readonly deleted: DeletedIssue[] = [];
  private readonly deletedKeys = new Set<string>();
  version = 0;
  private nextIssueId = 10000;
  private nextCommentId = 10000;
  private nextHistoryId = 10000;
  private nextLinkId = 10000;

  constructor(timeZone: string, users: User[], projects: Project[]) {
    this.timeZone = timeZone;
    this.users = users;
    this.userById = indexBy(users, (u) => u.accountId);
    this.projects = projects;
    this.projectById = indexBy(projects, (p) => p.id);
    this.projectByKey = indexBy(projects, (p) => p.key);
  }

  newIssueId(): string {
    return String(this.nextIssueId++);
  }
  newCommentId(): string {
    return String(this.nextCommentId++);
  }
  newHistoryId(): string {
    return String(this.nextHistoryId++);
  }
  newLinkId(): string {
    return String(this.nextLinkId++);
  }

  touch(): void {
    this.version++;
  }

  /** Accepts an id ("10001") or a key in any case ("ops-1"), as Jira does. */
  getIssue(idOrKey: string): Issue | undefined {
    if (/^\d+$/.test(idOrKey)) {
      return this.issues.get(idOrKey);
    }
    return this.byKey.get(idOrKey.toUpperCase());
  }

  wasDeleted(key: string): boolean {
    return this.deletedKeys.has(key.toUpperCase());
  }

  project(issue: Issue): Project {
    const p = this.projectById.get(issue.projectId);
    if (!p) {
      throw new Error(`project ${issue.projectId} missing`);
    }
    return p;
  }

  addIssue(issue: Issue): void {
    this.issues.set(issue.id, issue);
    this.byKey.set(issue.key.toUpperCase(), issue);
    if (issue.parentId) {
      this.setParent(issue, issue.parentId);
    }
    this.touch();
  }

  setParent(issue: Issue, parentId: string | null): void {
    if (issue.parentId) {
      this.childrenByParent.get(issue.parentId)?.delete(issue.id);
    }
    issue.parentId = parentId;
    if (parentId) {
      let set = this.childrenByParent.get(parentId);
      if (!set) {
        set = new Set();
        this.childrenByParent.set(parentId, set);
      }
      set.add(issue.id);
    }
  }

  children(issueId: string): Issue[] {
    const out: Issue[] = [];
    for (const id of this.childrenByParent.get(issueId) ?? []) {
      const child = this.issues.get(id);
      if (child) {
        out.push(child);
      }
    }
    return out;
  }

  removeIssue(issue: Issue, at: number): IssueLinkRecord[] {
    const removedLinks = this.linksOf(issue.id);
    for (const link of removedLinks) {
      this.removeLink(link.id);
    }
    for (const child of this.children(issue.id)) {
      child.parentId = null;
    }
    this.childrenByParent.delete(issue.id);
    if (issue.parentId) {
      this.childrenByParent.get(issue.parentId)?.delete(issue.id);
    }
    this.issues.delete(issue.id);
    this.byKey.delete(issue.key.toUpperCase());
    this.deleted.push({ id: issue.id, key: issue.key, deletedAt: at });
    this.deletedKeys.add(issue.key.toUpperCase());
    this.touch();
    return removedLinks;
  }

  addLink(link: IssueLinkRecord): void {
    this.links.set(link.id, link);
    for (const id of [link.sourceId, link.destinationId]) {
      let set = this.linksByIssue.get(id);
      if (!set) {
        set = new Set();
        this.linksByIssue.set(id, set);
      }
      set.add(link.id);
    }
    this.touch();
  }

  removeLink(linkId: string): IssueLinkRecord | undefined {
    const link = this.links.get(linkId);
    if (!link) {
      return undefined;
    }
    this.links.delete(linkId);
    this.linksByIssue.get(link.sourceId)?.delete(linkId);
    this.linksByIssue.get(link.destinationId)?.delete(linkId);
    this.touch();
    return link;
  }

  linksOf(issueId: string): IssueLinkRecord[] {
    const out: IssueLinkRecord[] = [];
    for (const id of this.linksByIssue.get(issueId) ?? []) {
      const link = this.links.get(id);
      if (link) {
        out.push(link);
      }
    }
    return out;
  }

  /** The authenticated user of the site (first generated user). */
  get admin(): User {
    const u = this.users[0];
    if (!u) {
      throw new Error("site has no users");
    }
    return u;
  }
}
