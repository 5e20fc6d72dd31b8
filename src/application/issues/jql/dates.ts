import type { Operand } from "../../../domain/jql-query/ast";
import { dateFunction, type JqlDate, parseJqlDate } from "../../../domain/jql-query/dates";
import { jqlError } from "../../../domain/jql-query/errors";
import type { JqlScope } from "./scope";
import { unknownFunction } from "./values";

const FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/** A date operand (literal, period or date function) as an instant, in the scope's time zone. */
export function dateOperand(scope: JqlScope, operand: Operand, field: string): JqlDate {
  if (operand.kind === "function") {
    const at = dateFunction(operand.name, operand.args, scope.timeZone, scope.now);
    if (typeof at === "string") {
      throw jqlError(at, operand.pos);
    }
    if (!at) {
      throw unknownFunction(operand);
    }
    return { at, dateOnly: false };
  }
  if (operand.kind !== "value") {
    throw jqlError(`Expecting a date value for the field '${field}'.`, operand.pos);
  }
  const parsed = parseJqlDate(operand.value, scope.timeZone, scope.now);
  if (!parsed) {
    throw jqlError(
      `Date value '${operand.value}' for field '${field}' is invalid. ${FORMATS}`,
      operand.pos,
    );
  }
  return parsed;
}
