import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { registerListProjects } from "../projects/list-projects";
import { registerListUsers } from "../users/list-users";
import { registerGetIssue } from "./get-issue";
import { registerListChangelog } from "./list-changelog";
import { registerListComments } from "./list-comments";
import { registerListIssues } from "./list-issues";

/** The read side of synced Jira data: issues, their comments and changelogs, projects, users. */
export function registerIssueReadRoutes(app: OpenAPIHono<AppEnv>): void {
  registerListProjects(app);
  registerListUsers(app);
  registerListIssues(app);
  registerGetIssue(app);
  registerListComments(app);
  registerListChangelog(app);
}
