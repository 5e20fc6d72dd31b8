import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { registerAddComment } from "./add-comment";
import { registerCreateIssue } from "./create-issue";
import { registerEditIssue } from "./edit-issue";
import { registerTransitionIssue } from "./transition-issue";

/** Writes back to Jira: through the instance's Durable Object, stored, audited, idempotent. */
export function registerIssueWriteRoutes(app: OpenAPIHono<AppEnv>): void {
  registerCreateIssue(app);
  registerEditIssue(app);
  registerTransitionIssue(app);
  registerAddComment(app);
}
