import { DomainError } from "../errors";

/**
 * A JQL query we cannot answer, worded as Jira words it. Syntax errors carry Jira's
 * "Error in the JQL Query:" prefix and the 1-based character position; semantic ones (unknown
 * field, value, function) use Jira's sentences, naming the clause they come from.
 *
 * @example
 * throw jqlSyntaxError("Expecting ')' but got 'AND'.", 14)
 */
export function jqlError(message: string, position?: number): DomainError {
  return new DomainError(
    "invalid",
    message,
    [
      {
        path: "jql",
        message: position === undefined ? message : `${message} (at ${position + 1})`,
      },
    ],
    { problemCode: "invalid_jql" },
  );
}

/** A syntax error at a 0-based offset (null: at the end of the query). */
export function jqlSyntaxError(message: string, offset: number | null): DomainError {
  const where = offset === null ? "" : ` (line 1, character ${offset + 1})`;
  return jqlError(`Error in the JQL Query: ${message}${where}`, offset ?? undefined);
}
