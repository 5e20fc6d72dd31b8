/** Structured JSON logs, one object per line; secrets and emails never reach the output. */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const SECRET_KEYS = /token|secret|password|authorization|api[-_]?key|cookie|email|credential/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Replaces secret-looking fields and email addresses, recursively. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") {
    return value.replace(EMAIL, "[email]");
  }
  if (depth > 6 || value === null || typeof value !== "object") {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => redact(item, depth + 1));
  }
  if (value instanceof Error) {
    return { name: value.name, message: redact(value.message, depth + 1) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEYS.test(key) ? "[redacted]" : redact(item, depth + 1);
  }
  return out;
}

export type LogLevel = "debug" | "info" | "warn" | "error";
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** The isolate-wide minimum level; set once from config (LOG_LEVEL). */
let minimum: LogLevel = "info";
export function setLogLevel(level: LogLevel): void {
  minimum = level;
}

export function createLogger(
  base: LogFields = {},
  sink: (line: string) => void = console.log,
): Logger {
  const write = (level: LogLevel, message: string, fields?: LogFields) => {
    if (RANK[level] < RANK[minimum]) {
      return;
    }
    sink(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        message: redact(message),
        ...(redact({ ...base, ...fields }) as LogFields),
      }),
    );
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, fields) => write("error", message, fields),
    child: (fields) => createLogger({ ...base, ...fields }, sink),
  };
}
