import type { Env } from "../../env";
import type { Logger } from "../../infrastructure/observability/logger";
import type { Services } from "../../infrastructure/services";
import type { ReadCaller } from "../../infrastructure/db/read-authorization";

/** Who is calling, once the API key has been checked (and counted against its limits). */
export type Caller = ReadCaller;

export interface AppVariables {
  requestId: string;
  logger: Logger;
  services: Services;
  /** SHA-256 of the presented API key (set by apiKeyAuth, checked later). */
  keyHash: string | undefined;
  caller: Caller | undefined;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
