/**
 * JQL dates, read as Jira reads them: literals and functions in the Jira user's time zone, relative
 * periods (`-7d`, `4w 2d`) from now. Weeks start on Sunday (Jira's default `en_US` locale).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Wall-clock fields of an instant in a time zone, as a UTC timestamp of the same fields. */
function wallClock(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    ...{ year: "numeric", month: "2-digit", day: "2-digit" },
    ...{ hour: "2-digit", minute: "2-digit", second: "2-digit" },
  });
  for (const p of format.formatToParts(new Date(at))) {
    if (p.type !== "literal") {
      parts[p.type] = Number(p.value);
    }
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second) + (((at % 1000) + 1000) % 1000);
}

/** The instant whose wall clock in `timeZone` reads `wall` (a UTC timestamp of those fields). */
export function wallToInstant(wall: number, timeZone: string): number {
  const first = wall - (wallClock(wall, timeZone) - wall);
  return wall - (wallClock(first, timeZone) - first);
}

/** Whether Intl knows the zone (a site's zone we cannot read falls back to UTC). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

const LITERAL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD = /^([-+])?\s*((?:\d{1,6}\s*[wdhm]\s*)+)$/i;
const UNIT_MS: Record<string, number> = { w: 7 * DAY, d: DAY, h: 60 * MINUTE, m: MINUTE };

export interface JqlDate {
  at: Date;
  /** Given as a calendar date without a time (matters for date-only fields like `due`). */
  dateOnly: boolean;
}

/**
 * A JQL date value: `yyyy/MM/dd HH:mm`, `yyyy-MM-dd HH:mm`, `yyyy/MM/dd`, `yyyy-MM-dd` (in the
 * zone) or a period from now (`-5d`, `4w 2d`, `-1h`). null when it is none of those.
 *
 * @example
 * parseJqlDate("2025-01-31", "Europe/Prague", Date.now()) // 2025-01-30T23:00:00.000Z
 */
export function parseJqlDate(raw: string, timeZone: string, now: number): JqlDate | null {
  const v = raw.trim();
  const abs = LITERAL.exec(v);
  if (abs) {
    const [y, mo, d, h, mi] = abs.slice(1).map((p) => (p === undefined ? 0 : Number(p)));
    const wall = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
    const back = new Date(wall);
    if (back.getUTCMonth() !== (mo ?? 1) - 1 || back.getUTCDate() !== d || (h ?? 0) > 23) {
      return null;
    }
    return { at: new Date(wallToInstant(wall, timeZone)), dateOnly: abs[4] === undefined };
  }
  const rel = PERIOD.exec(v);
  if (rel) {
    const sign = rel[1] === "-" ? -1 : 1;
    let total = 0;
    for (const m of (rel[2] ?? "").matchAll(/(\d+)\s*([wdhm])/gi)) {
      total += Number(m[1]) * (UNIT_MS[(m[2] ?? "m").toLowerCase()] ?? 0);
    }
    return { at: new Date(now + sign * total), dateOnly: false };
  }
  return null;
}

type Period = "day" | "week" | "month" | "year";
const PERIODS: Record<string, Period> = { day: "day", week: "week", month: "month", year: "year" };
const INCREMENT = /^([-+]?)(\d{1,6})([yMwdhm]?)$/;

/** Adds `n` units to a wall-clock timestamp, in calendar terms for months and years. */
function addWall(wall: number, n: number, unit: string): number {
  const d = new Date(wall);
  const fields = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
  ] as const;
  const [y, mo, day, h, mi] = fields;
  switch (unit) {
    case "y":
      return Date.UTC(y + n, mo, day, h, mi);
    case "M":
      return Date.UTC(y, mo + n, day, h, mi);
    case "w":
      return wall + n * 7 * DAY;
    case "d":
      return wall + n * DAY;
    case "h":
      return wall + (n * DAY) / 24;
    default:
      return wall + n * MINUTE;
  }
}

function periodStart(wall: number, period: Period): number {
  const d = new Date(wall);
  const [y, mo, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  switch (period) {
    case "day":
      return Date.UTC(y, mo, day);
    case "week":
      return Date.UTC(y, mo, day - d.getUTCDay());
    case "month":
      return Date.UTC(y, mo, 1);
    default:
      return Date.UTC(y, 0, 1);
  }
}

const DEFAULT_UNIT: Record<Period, string> = { day: "d", week: "w", month: "M", year: "y" };

/**
 * `now()`, `startOfDay/Week/Month/Year(±n[unit])` and `endOf…(±n[unit])` at `now`, in the zone.
 * undefined when `name` is not a date function; throws a message for a bad increment.
 *
 * @example
 * dateFunction("startOfMonth", ["-1"], "UTC", Date.parse("2025-03-15T10:00:00Z")) // 2025-02-01T00:00Z
 */
export function dateFunction(
  name: string,
  args: readonly string[],
  timeZone: string,
  now: number,
): Date | string | undefined {
  const lower = name.toLowerCase();
  if (lower === "now") {
    return args.length === 0 ? new Date(now) : "now() takes no arguments.";
  }
  const match = /^(startof|endof)(day|week|month|year)$/.exec(lower);
  const period = match ? PERIODS[match[2] ?? ""] : undefined;
  if (!match || !period) {
    return undefined;
  }
  if (args.length > 1) {
    return `${name}() takes at most one argument.`;
  }
  const inc = args[0] === undefined ? null : INCREMENT.exec(args[0].trim());
  if (args[0] !== undefined && !inc) {
    return `The increment '${args[0]}' of ${name}() is invalid: use (+/-)nn(y|M|w|d|h|m), e.g. -1 or +2w.`;
  }
  const n = inc ? Number(inc[2]) * (inc[1] === "-" ? -1 : 1) : 0;
  const unit = inc?.[3] || DEFAULT_UNIT[period];
  const start = periodStart(wallClock(now, timeZone), period);
  if (match[1] === "startof") {
    return new Date(wallToInstant(addWall(start, n, unit), timeZone));
  }
  const nextStart = addWall(start, 1, DEFAULT_UNIT[period]);
  return new Date(wallToInstant(addWall(nextStart, n, unit), timeZone) - 1);
}

/** The calendar date (yyyy-mm-dd) of an instant in the zone: how date-only fields compare. */
export function localDate(at: Date, timeZone: string): string {
  return new Date(wallClock(at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** The [start, end) instants of the calendar day (in the zone) that contains `at`. */
export function localDayBounds(at: Date, timeZone: string): [Date, Date] {
  const start = periodStart(wallClock(at.getTime(), timeZone), "day");
  return [new Date(wallToInstant(start, timeZone)), new Date(wallToInstant(start + DAY, timeZone))];
}
