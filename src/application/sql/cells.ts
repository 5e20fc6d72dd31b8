/**
 * Turns a cell (the value as Postgres renders it in JSON) into the value the API returns:
 * numbers, booleans, strings, JSON for json/jsonb, arrays and composites; int8 and numeric stay
 * strings so no digit is lost; timestamptz becomes an ISO-8601 UTC string.
 */
export type CellReader = (cell: string) => unknown;

const parse = (cell: string): unknown => {
  try {
    return JSON.parse(cell);
  } catch {
    return cell;
  }
};

const exactNumber: CellReader = (cell) => (cell.startsWith('"') ? parse(cell) : cell);

const isoInstant: CellReader = (cell) => {
  const value = parse(cell);
  if (typeof value !== "string") {
    return value;
  }
  const date = new Date(value);
  // "infinity" and dates beyond what JS represents keep Postgres' spelling.
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
};

const READERS: Record<string, CellReader> = {
  int8: exactNumber,
  numeric: exactNumber,
  timestamptz: isoInstant,
  void: () => null,
};

export function cellReader(type: string): CellReader {
  const read = READERS[type] ?? parse;
  return (cell) => (cell === "null" ? null : read(cell));
}
