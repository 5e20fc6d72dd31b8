/** Postgres' own error (SQLSTATE and message), found beneath drizzle's "Failed query" wrapper. */
export interface PgError {
  code: string;
  message: string;
  constraint?: string;
}

export function findPgError(error: unknown): PgError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (typeof current === "object" && current !== null) {
      const candidate = current as {
        code?: unknown;
        message?: unknown;
        constraint?: unknown;
        cause?: unknown;
      };
      if (typeof candidate.code === "string" && /^[0-9A-Z]{5}$/.test(candidate.code)) {
        return {
          code: candidate.code,
          message: String(candidate.message ?? ""),
          constraint: typeof candidate.constraint === "string" ? candidate.constraint : undefined,
        };
      }
      current = candidate.cause;
    } else {
      return undefined;
    }
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown, constraint?: string) => {
  const pg = findPgError(error);
  return pg?.code === "23505" && (constraint === undefined || pg.constraint === constraint);
};
