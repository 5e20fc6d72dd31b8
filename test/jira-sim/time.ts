// Jira renders timestamps in the user's time zone with a colon-less offset
// ("2025-01-15T10:23:45.123+0100") and reads JQL date literals in that same zone. Offsets are
// computed with Intl and cached per 15 minutes (DST switches happen on such boundaries), which
// keeps formatting cheap when a page renders thousands of dates.

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();
const BUCKET_MS = 15 * 60 * 1000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function computeOffset(timeZone: string, at: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== "literal") {
      parts[p.type] = Number(p.value);
    }
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60000);
}

const DAY_MS = 86_400_000;

/** Offset of `timeZone` from UTC in minutes at instant `ms`. */
export function offsetMinutes(timeZone: string, ms: number): number {
  let zoneCache = offsetCache.get(timeZone);
  if (!zoneCache) {
    zoneCache = new Map();
    offsetCache.set(timeZone, zoneCache);
  }
  // Most days have one offset all day: cache per UTC day (negative keys), and fall back to
  // 15-minute buckets only on days with a DST switch.
  const day = Math.floor(ms / DAY_MS);
  const daily = zoneCache.get(-day - 1);
  if (daily !== undefined && !Number.isNaN(daily)) {
    return daily;
  }
  if (daily === undefined) {
    const first = computeOffset(timeZone, day * DAY_MS);
    const last = computeOffset(timeZone, (day + 1) * DAY_MS - 1000);
    zoneCache.set(-day - 1, first === last ? first : Number.NaN);
    if (first === last) {
      return first;
    }
  }
  const bucket = Math.floor(ms / BUCKET_MS);
  const cached = zoneCache.get(bucket);
  if (cached !== undefined) {
    return cached;
  }
  const offset = computeOffset(timeZone, bucket * BUCKET_MS);
  if (zoneCache.size > 200000) {
    zoneCache.clear();
  }
  zoneCache.set(bucket, offset);
  return offset;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Jira's datetime representation, e.g. `2025-01-15T10:23:45.123+0100`. */
export function formatJiraDateTime(ms: number, timeZone: string): string {
  const off = offsetMinutes(timeZone, ms);
  const d = new Date(ms + off * 60000);
  const sign = off < 0 ? "-" : "+";
  const abs = Math.abs(off);
  return (
    `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}` +
    `T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}` +
    `.${String(d.getUTCMilliseconds()).padStart(3, "0")}` +
    `${sign}${pad2(Math.floor(abs / 60))}${pad2(abs % 60)}`
  );
}

/** Calendar date of `ms` in `timeZone` ("2025-03-04"). */
export function formatDate(ms: number, timeZone: string): string {
  return formatJiraDateTime(ms, timeZone).slice(0, 10);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The human format Jira uses in renderedFields ("15/Jan/25 10:23 AM"). */
export function formatRendered(ms: number, timeZone: string): string {
  const d = new Date(ms + offsetMinutes(timeZone, ms) * 60000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCDate()}/${MONTHS[d.getUTCMonth()]}/${pad2(d.getUTCFullYear() % 100)} ${h12}:${pad2(d.getUTCMinutes())} ${h < 12 ? "AM" : "PM"}`;
}

/** Epoch ms of a wall-clock time in `timeZone` (two passes settle DST edges). */
export function zonedTimeToEpoch(
  timeZone: string,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wall - offsetMinutes(timeZone, wall) * 60000;
  guess = wall - offsetMinutes(timeZone, guess) * 60000;
  return guess;
}

/**
 * Parses the datetime formats clients send to Jira: ISO-8601 with `Z`, `+01:00` or `+0100`.
 * Returns null when unparseable.
 */
export function parseJiraDateTime(value: string): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      value,
    );
  if (!m) {
    return null;
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    Number((frac ?? "0").padEnd(3, "0")),
  );
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    const off = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    ms -= sign * off * 60000;
  }
  return Number.isNaN(ms) ? null : ms;
}

export function isValidDateOnly(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) {
    return false;
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}
