import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { registerCreateInstance } from "./create-instance";
import { registerDeleteInstance } from "./delete-instance";
import { registerGetInstance } from "./get-instance";
import { registerListInstances } from "./list-instances";
import { registerRotateWebhookSecret } from "./rotate-webhook-secret";

export function registerInstanceRoutes(app: OpenAPIHono<AppEnv>): void {
  registerCreateInstance(app);
  registerListInstances(app);
  registerGetInstance(app);
  registerDeleteInstance(app);
  registerRotateWebhookSecret(app);
}
