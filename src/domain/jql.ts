/**
 * Building the few JQL queries a sync needs. JQL date literals are read in the time zone of the
 * account that runs the search (its /myself `timeZone`), and only to the minute, so watermarks are
 * formatted in that zone and always used with an overlap.
 */
export function jqlDateTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** A JQL string literal: double-quoted, with quotes and backslashes escaped. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Every issue of one project, in a stable order for token pagination. */
export function projectIssuesJql(projectKey: string): string {
  return `project = ${jqlString(projectKey)} ORDER BY key ASC`;
}

/** Issues changed since `since` (minute precision, site time zone), oldest change first. */
export function updatedSinceJql(since: Date, timeZone: string): string {
  return `updated >= ${jqlString(jqlDateTime(since, timeZone))} ORDER BY updated ASC, key ASC`;
}
