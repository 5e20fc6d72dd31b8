import type { z } from "zod";
import { JiraError } from "./errors";
import type { RequestSpec } from "./request";

/** Validate a response body; a shape mismatch is an `invalid` JiraError naming the bad path. */
export function validate<T extends z.ZodType>(
  schema: T,
  data: unknown,
  spec: Pick<RequestSpec, "method" | "route">,
): z.infer<T> {
  const result = schema.safeParse(data);
  if (result.success) {
    return result.data;
  }
  const issue = result.error.issues[0];
  const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unknown";
  throw new JiraError({
    kind: "invalid",
    status: 200,
    method: spec.method,
    route: spec.route,
    detail: `unexpected response shape at ${where}`,
    cause: result.error,
  });
}

/** Encode one path segment (issue key, id). */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}
