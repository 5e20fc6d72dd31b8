// JSON shapes of the small entities embedded in issues (users, statuses, ...). `api` selects the
// REST version in `self` links: webhooks carry v2 links, REST v3 responses v3 links.

import { STATUS_CATEGORIES } from "./catalog.ts";
import type {
  Component,
  CustomFieldOption,
  IssueType,
  Priority,
  Project,
  Resolution,
  Status,
  User,
  Version,
} from "./model.ts";
import type { Store } from "./store.ts";

export interface RenderCtx {
  store: Store;
  api: "2" | "3";
  /** Webhook payloads never include email addresses. */
  includeEmail: boolean;
}

export type Json = Record<string, unknown>;

function api(ctx: RenderCtx, path: string): string {
  return `${ctx.store.baseUrl}/rest/api/${ctx.api}/${path}`;
}

function avatarUrls(seed: string): Json {
  const base = `https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/${encodeURIComponent(seed)}.png`;
  return {
    "48x48": `${base}?size=48&s=48`,
    "24x24": `${base}?size=24&s=24`,
    "16x16": `${base}?size=16&s=16`,
    "32x32": `${base}?size=32&s=32`,
  };
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .map((w) => w.charAt(0).toUpperCase())
    .join("")
    .slice(0, 2);
}

export function renderUser(ctx: RenderCtx, user: User): Json {
  const out: Json = {
    self: api(ctx, `user?accountId=${encodeURIComponent(user.accountId)}`),
    accountId: user.accountId,
  };
  if (ctx.includeEmail && user.email) {
    out.emailAddress = user.email;
  }
  out.avatarUrls = avatarUrls(`${initials(user.displayName)}-${user.accountId.length % 6}`);
  out.displayName = user.displayName;
  out.active = user.active;
  out.timeZone = user.timeZone;
  out.accountType = user.accountType;
  return out;
}

export function renderUserById(ctx: RenderCtx, accountId: string | null): Json | null {
  if (!accountId) {
    return null;
  }
  const user = ctx.store.userById.get(accountId);
  return user ? renderUser(ctx, user) : null;
}

export function renderStatusCategory(ctx: RenderCtx, status: Status): Json {
  const cat = STATUS_CATEGORIES[status.category];
  return { self: api(ctx, `statuscategory/${cat.id}`), ...cat };
}

export function renderStatus(ctx: RenderCtx, status: Status): Json {
  return {
    self: api(ctx, `status/${status.id}`),
    description: status.description,
    iconUrl: `${ctx.store.baseUrl}/`,
    name: status.name,
    id: status.id,
    statusCategory: renderStatusCategory(ctx, status),
  };
}

export function renderIssueType(ctx: RenderCtx, type: IssueType): Json {
  return {
    self: api(ctx, `issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: `${ctx.store.baseUrl}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${type.avatarId}?size=medium`,
    name: type.name,
    subtask: type.subtask,
    avatarId: type.avatarId,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function renderPriority(ctx: RenderCtx, p: Priority): Json {
  return {
    self: api(ctx, `priority/${p.id}`),
    iconUrl: `${ctx.store.baseUrl}/images/icons/priorities/${p.icon}`,
    name: p.name,
    id: p.id,
  };
}

export function renderResolution(ctx: RenderCtx, r: Resolution): Json {
  return {
    self: api(ctx, `resolution/${r.id}`),
    id: r.id,
    description: r.description,
    name: r.name,
  };
}

function projectAvatars(ctx: RenderCtx, project: Project): Json {
  const base = `${ctx.store.baseUrl}/rest/api/2/universal_avatar/view/type/project/avatar/10421`;
  return {
    "48x48": base,
    "24x24": `${base}?size=small`,
    "16x16": `${base}?size=xsmall`,
    "32x32": `${base}?size=medium&pid=${project.id}`,
  };
}

/** The compact project reference embedded in issues. */
export function renderProjectRef(ctx: RenderCtx, project: Project): Json {
  return {
    self: api(ctx, `project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: "software",
    simplified: false,
    avatarUrls: projectAvatars(ctx, project),
  };
}

/** The full project from /project/search. */
export function renderProject(ctx: RenderCtx, project: Project): Json {
  return {
    expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
    self: api(ctx, `project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    avatarUrls: projectAvatars(ctx, project),
    projectTypeKey: "software",
    simplified: false,
    style: "classic",
    isPrivate: false,
    properties: {},
  };
}

export function renderComponent(ctx: RenderCtx, c: Component): Json {
  return {
    self: api(ctx, `component/${c.id}`),
    id: c.id,
    name: c.name,
    description: c.description,
  };
}

export function renderVersion(ctx: RenderCtx, v: Version, projectId: string): Json {
  const out: Json = {
    self: api(ctx, `version/${v.id}`),
    id: v.id,
    name: v.name,
    archived: false,
    released: v.released,
  };
  if (v.releaseDate) {
    out.releaseDate = v.releaseDate;
  }
  out.projectId = Number(projectId);
  return out;
}

export function renderOption(ctx: RenderCtx, o: CustomFieldOption): Json {
  return { self: api(ctx, `customFieldOption/${o.id}`), value: o.value, id: o.id };
}
