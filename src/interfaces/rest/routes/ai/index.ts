import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { registerAsk } from "./ask";
import { registerGetAiProvider } from "./get-provider";
import { registerPutAiProvider } from "./put-provider";
import { registerSimilarIssues } from "./similar-issues";
import { registerSummarizeIssue } from "./summarize-issue";
import { registerTriageDraft } from "./triage-draft";
import { registerTriageIssue } from "./triage-issue";

export function registerAiRoutes(app: OpenAPIHono<AppEnv>): void {
  registerGetAiProvider(app);
  registerPutAiProvider(app);
  registerSummarizeIssue(app);
  registerTriageIssue(app);
  registerTriageDraft(app);
  registerSimilarIssues(app);
  registerAsk(app);
}
