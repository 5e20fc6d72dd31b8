/**
 * The JSON object in a model's answer: models wrap it in prose or ``` fences now and then, so
 * the first `{` to the last `}` is parsed. Undefined when there is none.
 */
export function jsonFromAnswer(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export const stringsOf = (value: unknown, max = 10): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string").slice(0, max) : [];
