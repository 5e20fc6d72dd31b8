/** Site-level reads: identity, server info, fields, projects and users. */
import { z } from "zod";
import type { JiraHttp } from "./http";
import { flatten, paginateOffset } from "./pagination";
import {
  fieldSchema,
  type JiraField,
  type JiraProject,
  type JiraServerInfo,
  type JiraStatus,
  type JiraUser,
  pageBeanSchema,
  projectSchema,
  serverInfoSchema,
  statusSchema,
  userSchema,
} from "./schemas";
import { validate } from "./validate";

export interface ProjectsOptions {
  /** Page size, ≤ 100 (default 50). */
  pageSize?: number;
  /** e.g. `"description,lead,issueTypes"`. */
  expand?: string;
}

export interface UsersOptions {
  /** Page size (default 100). */
  pageSize?: number;
}

const projectPageSchema = pageBeanSchema(projectSchema);
const usersSchema = z.array(userSchema);
const fieldsSchema = z.array(fieldSchema);
const statusesSchema = z.array(statusSchema);

export function readMethods(http: JiraHttp) {
  return {
    /** The user the credentials belong to (GET /myself). */
    async myself(): Promise<JiraUser> {
      const spec = { method: "GET", path: "/myself", route: "/myself" } as const;
      return validate(userSchema, await http.request(spec), spec);
    },

    /** GET /serverInfo. */
    async serverInfo(): Promise<JiraServerInfo> {
      const spec = { method: "GET", path: "/serverInfo", route: "/serverInfo" } as const;
      return validate(serverInfoSchema, await http.request(spec), spec);
    },

    /** All system and custom fields (GET /field). */
    async fields(): Promise<JiraField[]> {
      const spec = { method: "GET", path: "/field", route: "/field" } as const;
      return validate(fieldsSchema, await http.request(spec), spec);
    },

    /** Every workflow status with its category (GET /status). */
    async statuses(): Promise<JiraStatus[]> {
      const spec = { method: "GET", path: "/status", route: "/status" } as const;
      return validate(statusesSchema, await http.request(spec), spec);
    },

    /** Every project, paging GET /project/search until `isLast`. */
    projects(options: ProjectsOptions = {}): AsyncGenerator<JiraProject, void, undefined> {
      const pageSize = Math.min(100, options.pageSize ?? 50);
      return flatten(
        paginateOffset(pageSize, async (startAt) => {
          const spec = {
            method: "GET",
            path: "/project/search",
            route: "/project/search",
            query: { startAt, maxResults: pageSize, orderBy: "key", expand: options.expand },
          } as const;
          const page = validate(projectPageSchema, await http.request(spec), spec);
          return { items: page.values, total: page.total, isLast: page.isLast };
        }),
      );
    },

    /** Every user (including app and inactive accounts), paging GET /users/search. */
    users(options: UsersOptions = {}): AsyncGenerator<JiraUser, void, undefined> {
      const pageSize = options.pageSize ?? 100;
      return flatten(
        paginateOffset(pageSize, async (startAt) => {
          const spec = {
            method: "GET",
            path: "/users/search",
            route: "/users/search",
            query: { startAt, maxResults: pageSize },
          } as const;
          return { items: validate(usersSchema, await http.request(spec), spec) };
        }),
      );
    },
  };
}
