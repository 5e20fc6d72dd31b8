/** Issue writes: create, edit, transitions and comments. */
import { type AdfDocument, textToAdf } from "../../domain/adf";
import type { JiraHttp } from "./http";
import type { RequestSpec } from "./request";
import {
  commentSchema,
  createdIssueSchema,
  type JiraComment,
  type JiraCreatedIssue,
  type JiraTransition,
  transitionsSchema,
} from "./schemas";
import { seg, validate } from "./validate";

export interface CreateIssueInput {
  projectKey: string;
  /** Issue type name (e.g. "Task") or numeric id. */
  issueType: string;
  summary: string;
  /** ADF document (v3 rich text); a plain string is converted. */
  description?: AdfDocument | string;
  /** Extra field values by field id, e.g. `{ labels: ["x"], customfield_10010: 3 }`. */
  fields?: Record<string, unknown>;
}

export interface EditIssueInput {
  fields?: Record<string, unknown>;
  update?: Record<string, unknown[]>;
  notifyUsers?: boolean;
}

const adf = (body: AdfDocument | string): AdfDocument =>
  typeof body === "string" ? textToAdf(body) : body;

export function writeMethods(http: JiraHttp) {
  return {
    /** POST /issue → `{id, key, self}`. */
    async createIssue(input: CreateIssueInput): Promise<JiraCreatedIssue> {
      const issuetype = /^\d+$/.test(input.issueType)
        ? { id: input.issueType }
        : { name: input.issueType };
      const fields: Record<string, unknown> = {
        ...input.fields,
        project: { key: input.projectKey },
        issuetype,
        summary: input.summary,
      };
      if (input.description !== undefined) {
        fields.description = adf(input.description);
      }
      const spec: RequestSpec = {
        method: "POST",
        path: "/issue",
        route: "/issue",
        body: { fields },
      };
      return validate(createdIssueSchema, await http.request(spec), spec);
    },

    /** PUT /issue/{key} with `fields` (set) and/or `update` (operations). */
    async editIssue(idOrKey: string, input: EditIssueInput): Promise<void> {
      await http.request({
        method: "PUT",
        path: `/issue/${seg(idOrKey)}`,
        route: "/issue/{issueIdOrKey}",
        query: { notifyUsers: input.notifyUsers },
        body: { fields: input.fields, update: input.update },
      });
    },

    /** Transitions available to the caller on this issue. */
    async getTransitions(idOrKey: string): Promise<JiraTransition[]> {
      const spec: RequestSpec = {
        method: "GET",
        path: `/issue/${seg(idOrKey)}/transitions`,
        route: "/issue/{issueIdOrKey}/transitions",
      };
      return validate(transitionsSchema, await http.request(spec), spec).transitions;
    },

    /** POST /issue/{key}/transitions, optionally setting fields on the transition screen. */
    async transitionIssue(
      idOrKey: string,
      transitionId: string,
      extra: Omit<EditIssueInput, "notifyUsers"> = {},
    ): Promise<void> {
      await http.request({
        method: "POST",
        path: `/issue/${seg(idOrKey)}/transitions`,
        route: "/issue/{issueIdOrKey}/transitions",
        body: { transition: { id: transitionId }, fields: extra.fields, update: extra.update },
      });
    },

    /** POST /issue/{key}/comment with an ADF body (a plain string is converted). */
    async addComment(idOrKey: string, body: AdfDocument | string): Promise<JiraComment> {
      const spec: RequestSpec = {
        method: "POST",
        path: `/issue/${seg(idOrKey)}/comment`,
        route: "/issue/{issueIdOrKey}/comment",
        body: { body: adf(body) },
      };
      return validate(commentSchema, await http.request(spec), spec);
    },
  };
}
