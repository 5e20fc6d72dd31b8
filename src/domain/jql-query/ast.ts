/** The parsed form of a JQL query (see parser.ts). Field names are kept as written. */

export interface FieldRef {
  /** As written (unquoted), e.g. `Story Points`, `cf[10010]`, `assignee`. */
  name: string;
  /** A `cf[<id>]` reference: the number. */
  customId?: string;
  pos: number;
}

export type Operand =
  | { kind: "value"; value: string; pos: number }
  | { kind: "empty"; pos: number }
  | { kind: "function"; name: string; args: string[]; pos: number }
  | { kind: "list"; items: Operand[]; pos: number };

export type Operator =
  | "="
  | "!="
  | ">"
  | ">="
  | "<"
  | "<="
  | "~"
  | "!~"
  | "in"
  | "not in"
  | "is"
  | "is not"
  | "was"
  | "was not"
  | "was in"
  | "was not in"
  | "changed";

export type HistoryWord = "by" | "during" | "before" | "after" | "on" | "from" | "to";

export interface HistoryPredicate {
  word: HistoryWord;
  operand: Operand;
  pos: number;
}

export interface Clause {
  kind: "clause";
  field: FieldRef;
  op: Operator;
  opPos: number;
  /** Absent only for `changed`. */
  operand?: Operand;
  history: HistoryPredicate[];
}

export type JqlNode =
  | { kind: "and" | "or"; children: JqlNode[] }
  | { kind: "not"; child: JqlNode }
  | Clause;

export interface OrderTerm {
  field: FieldRef;
  /** null when neither ASC nor DESC is given: the field's default direction. */
  descending: boolean | null;
}

export interface JqlQuery {
  where: JqlNode | null;
  orderBy: OrderTerm[] | null;
}
