/**
 * The time frame of a flow query (CONTRACT §7): `[from, to)` from ISO dates or date-times (a bare
 * date is 00:00 UTC), and its buckets — UTC days or ISO weeks (Monday 00:00 UTC), clipped to the
 * range so the buckets' counts add up to the range's.
 */
import { DomainError, type FieldError } from "./errors";

export type FlowInterval = "day" | "week";

export interface FlowRange {
  from: Date;
  to: Date;
}

export interface Bucket {
  start: Date;
  end: Date;
}

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 90;
/** About 2.7 years of days: a series longer than this is a mistake, not a chart. */
export const MAX_BUCKETS = 1000;

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date (00:00 UTC) or date-time with `Z` or an offset; null if it is neither or not a real instant. */
export function parseInstant(text: string): Date | null {
  const bare = BARE_DATE.exec(text);
  if (bare) {
    const date = new Date(`${text}T00:00:00.000Z`);
    // Date accepts 2026-02-30 (as March 2): require the same calendar day back.
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : date;
  }
  if (!DATE_TIME.test(text)) {
    return null;
  }
  const date = new Date(text);
  const day = text.slice(0, 10);
  const valid = !Number.isNaN(date.getTime()) && BARE_DATE.test(day) && parseInstant(day) !== null;
  return valid ? date : null;
}

const refuse = (message: string, errors: FieldError[]) =>
  new DomainError("invalid", message, errors);

/** `from`/`to` as given (either may be absent) → the range; default the last 90 days up to `now`. */
export function resolveRange(
  input: { from?: string; to?: string; interval: FlowInterval },
  now: Date,
): FlowRange {
  const errors: FieldError[] = [];
  const read = (field: "from" | "to") => {
    const text = input[field];
    if (text === undefined) {
      return undefined;
    }
    const at = parseInstant(text);
    if (at === null) {
      errors.push({
        path: field,
        message: "not an ISO date (YYYY-MM-DD) or date-time with offset",
      });
    }
    return at ?? undefined;
  };
  const given = { from: read("from"), to: read("to") };
  if (errors.length > 0) {
    throw refuse("from and to must be ISO dates or date-times.", errors);
  }
  const to = given.to ?? now;
  const from = given.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) {
    throw refuse("from is after to.", [{ path: "from", message: "must not be after to" }]);
  }
  if (bucketStarts({ from, to }, input.interval).length > MAX_BUCKETS) {
    throw refuse(`The range has more than ${MAX_BUCKETS} ${input.interval}s.`, [
      { path: "interval", message: `at most ${MAX_BUCKETS} buckets; use week or a shorter range` },
    ]);
  }
  return { from, to };
}

/** 00:00 UTC of the day, or of the Monday of the ISO week, that contains `at`. */
export function bucketFloor(at: Date, interval: FlowInterval): Date {
  const day = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  if (interval === "day") {
    return new Date(day);
  }
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS);
}

function bucketStarts(range: FlowRange, interval: FlowInterval): number[] {
  const step = interval === "day" ? DAY_MS : 7 * DAY_MS;
  const starts: number[] = [];
  if (range.from.getTime() >= range.to.getTime()) {
    return starts;
  }
  // One past the maximum is enough to refuse the range; no need to walk a century of days.
  for (
    let at = bucketFloor(range.from, interval).getTime();
    at < range.to.getTime() && starts.length <= MAX_BUCKETS;
    at += step
  ) {
    starts.push(at);
  }
  return starts;
}

/** The buckets covering `[from, to)`, the first and last clipped to it; none for an empty range. */
export function buckets(range: FlowRange, interval: FlowInterval): Bucket[] {
  const step = interval === "day" ? DAY_MS : 7 * DAY_MS;
  return bucketStarts(range, interval).map((start) => ({
    start: new Date(Math.max(start, range.from.getTime())),
    end: new Date(Math.min(start + step, range.to.getTime())),
  }));
}
