import type { Env } from "../../env";
import type { Logger } from "../../infrastructure/observability/logger";
import type { Services } from "../../infrastructure/services";

/** Who is calling, once the auth middleware has resolved an API key. */
export interface Caller {
  tenantId: string;
  apiKeyId: string;
  scopes: readonly string[];
  rateLimitPerMinute: number;
}

export interface AppVariables {
  requestId: string;
  logger: Logger;
  services: Services;
  caller: Caller | undefined;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
