/**
 * `wrangler dev` never fires cron triggers by itself. This ticker wakes at the start of every
 * minute (UTC, like Cloudflare), checks which cron expressions are due and calls `fire` for each.
 * Supports the standard five fields with `*`, numbers, ranges `a-b`, lists `a,b` and steps `/n`.
 */
import { readFileSync } from "node:fs";

export interface CronTicker {
  stop(): void;
}

export function startCronTicker(
  crons: readonly string[],
  fire: (cron: string) => Promise<void>,
): CronTicker {
  const matchers = crons.map((cron) => ({ cron, matches: compileCron(cron) }));
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const now = Date.now();
    // 50 ms past the minute boundary, so the Date we check is safely inside the new minute.
    timer = setTimeout(tick, 60_000 - (now % 60_000) + 50);
  };
  const tick = () => {
    const minute = new Date();
    for (const { cron, matches } of matchers) {
      if (matches(minute)) {
        fire(cron).catch(() => {});
      }
    }
    schedule();
  };
  schedule();
  return {
    stop: () => clearTimeout(timer),
  };
}

/** The `crons = [...]` list of wrangler.toml's `[triggers]` section (empty if none). */
export function readCronTriggers(wranglerToml: string): string[] {
  const text = readFileSync(wranglerToml, "utf8");
  const list = /^\s*crons\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? "";
  return [...list.matchAll(/"([^"]+)"|'([^']+)'/g)].map((m) => (m[1] ?? m[2] ?? "").trim());
}

const FIELD_RANGES: readonly [number, number][] = [
  [0, 59], // minute
  [0, 23], // hour
  [1, 31], // day of month
  [1, 12], // month
  [0, 7], // day of week (0 and 7 are Sunday)
];

export function compileCron(cron: string): (date: Date) => boolean {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new Error(`unsupported cron expression (need 5 fields): ${cron}`);
  }
  const sets = fields.map((field, i) => parseField(field, FIELD_RANGES[i]!, cron));
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const dayRestricted = fields[2] !== "*";
  const weekdayRestricted = fields[4] !== "*";
  return (date) => {
    const weekday = date.getUTCDay();
    const dayOk = days.has(date.getUTCDate());
    const weekdayOk = weekdays.has(weekday) || (weekday === 0 && weekdays.has(7));
    // Standard cron: when both day fields are restricted, either may match.
    const dateOk = dayRestricted && weekdayRestricted ? dayOk || weekdayOk : dayOk && weekdayOk;
    return (
      minutes.has(date.getUTCMinutes()) &&
      hours.has(date.getUTCHours()) &&
      months.has(date.getUTCMonth() + 1) &&
      dateOk
    );
  };
}

function parseField(field: string, [min, max]: [number, number], cron: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) {
      throw new Error(`unsupported cron field "${field}" in: ${cron}`);
    }
    const [, range, from, to, step] = match;
    const start = range === "*" ? min : Number(from);
    const end = range === "*" ? max : to !== undefined ? Number(to) : step ? max : start;
    const increment = step ? Number(step) : 1;
    if (start < min || end > max || increment < 1) {
      throw new Error(`cron field "${field}" out of range in: ${cron}`);
    }
    for (let value = start; value <= end; value += increment) {
      values.add(value);
    }
  }
  return values;
}

/** A `fire` callback that triggers the Worker's scheduled handler under `wrangler dev`. */
export function triggerScheduled(
  baseUrl: string,
  log: (line: string) => void,
): (cron: string) => Promise<void> {
  return async (cron) => {
    const started = Date.now();
    const url = `${baseUrl}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(cron)}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(300_000) });
      await response.arrayBuffer();
      log(`cron "${cron}" fired → ${response.status} in ${Date.now() - started} ms`);
    } catch (error) {
      log(`cron "${cron}" failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
