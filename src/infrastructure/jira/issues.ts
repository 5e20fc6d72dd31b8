/** Issue reads: JQL search (token paging), single fetch, comments and changelogs. */
import type { JiraHttp } from "./http";
import { flatten, paginateOffset, paginateToken } from "./pagination";
import type { RequestSpec } from "./request";
import {
  changelogSchema,
  issueSchema,
  type JiraChangelog,
  type JiraComment,
  type JiraIssue,
  type JiraSearchPage,
  pageBeanSchema,
  pageOfCommentsSchema,
  searchPageSchema,
} from "./schemas";
import { seg, validate } from "./validate";

export interface SearchJqlOptions {
  /** A bounded JQL query, e.g. `project = ABC AND updated >= -1d ORDER BY updated`. */
  jql: string;
  /** Fields to return. Jira's default is `id` only: pass `["*all"]` or an explicit list. */
  fields?: string[];
  /** e.g. `"changelog"` or `["changelog", "names"]`. */
  expand?: string | string[];
  /** Page size (default 100; Jira may return fewer). */
  maxResults?: number;
  properties?: string[];
  /** Issue ids to reconcile for read-after-write consistency (max 50). */
  reconcileIssues?: number[];
}

export interface IssueFetchOptions {
  fields?: string[];
  expand?: string | string[];
}

const changelogPageSchema = pageBeanSchema(changelogSchema);

export const list = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : value.split(",");

export function issueMethods(http: JiraHttp) {
  /** One page of `search/jql`; resumable from a stored `nextPageToken`. */
  async function searchJqlPage(
    options: SearchJqlOptions,
    nextPageToken?: string,
  ): Promise<JiraSearchPage> {
    const spec: RequestSpec = {
      method: "POST",
      path: "/search/jql",
      route: "/search/jql",
      body: {
        jql: options.jql,
        fields: options.fields,
        expand: list(options.expand)?.join(","),
        maxResults: options.maxResults ?? 100,
        properties: options.properties,
        reconcileIssues: options.reconcileIssues,
        nextPageToken,
      },
    };
    return validate(searchPageSchema, await http.request(spec), spec);
  }

  function searchJql(options: SearchJqlOptions): AsyncGenerator<JiraSearchPage, void, undefined> {
    return paginateToken((nextPageToken) => searchJqlPage(options, nextPageToken));
  }

  function issueComments(idOrKey: string, pageSize = 100) {
    return flatten(
      paginateOffset(pageSize, async (startAt) => {
        const spec: RequestSpec = {
          method: "GET",
          path: `/issue/${seg(idOrKey)}/comment`,
          route: "/issue/{issueIdOrKey}/comment",
          query: { startAt, maxResults: pageSize, orderBy: "created" },
        };
        const page = validate(pageOfCommentsSchema, await http.request(spec), spec);
        return { items: page.comments, total: page.total };
      }),
    ) as AsyncGenerator<JiraComment, void, undefined>;
  }

  function issueChangelog(idOrKey: string, pageSize = 100) {
    return flatten(
      paginateOffset(pageSize, async (startAt) => {
        const spec: RequestSpec = {
          method: "GET",
          path: `/issue/${seg(idOrKey)}/changelog`,
          route: "/issue/{issueIdOrKey}/changelog",
          query: { startAt, maxResults: pageSize },
        };
        const page = validate(changelogPageSchema, await http.request(spec), spec);
        return { items: page.values, total: page.total, isLast: page.isLast };
      }),
    ) as AsyncGenerator<JiraChangelog, void, undefined>;
  }

  return {
    /** Pages of a JQL search (POST /search/jql), following `nextPageToken` until `isLast`. */
    searchJql,
    searchJqlPage,

    /** Issues of a JQL search, one at a time. */
    async *searchIssues(options: SearchJqlOptions): AsyncGenerator<JiraIssue, void, undefined> {
      for await (const page of searchJql(options)) {
        yield* page.issues;
      }
    },

    /** GET /issue/{idOrKey}. Jira's default here is all fields. */
    async getIssue(idOrKey: string, options: IssueFetchOptions = {}): Promise<JiraIssue> {
      const spec: RequestSpec = {
        method: "GET",
        path: `/issue/${seg(idOrKey)}`,
        route: "/issue/{issueIdOrKey}",
        query: { fields: options.fields, expand: list(options.expand) },
      };
      return validate(issueSchema, await http.request(spec), spec);
    },

    /** Every comment of an issue, oldest first (GET /issue/{key}/comment, startAt paging). */
    issueComments,

    /** Every changelog history of an issue, oldest first (GET /issue/{key}/changelog). */
    issueChangelog,
  };
}
