/**
 * JQL tokens, after Atlassian's grammar: quoted strings (double or single quotes, with `\"`,
 * `\'`, `\\`, `\n`, `\t`, `\r`, `\ ` and `\uXXXX` escapes), unquoted words (which may hold the
 * same escapes), operators, parentheses, brackets (`cf[10010]`) and commas.
 */
import { jqlSyntaxError } from "./errors";

export type TokenType =
  | "word"
  | "string"
  | "op"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "comma"
  | "eof";

export interface Token {
  type: TokenType;
  value: string;
  /** 0-based offset of the token's first character in the query. */
  pos: number;
}

/** Characters Jira refuses in an unquoted word (they must be quoted or escaped). */
const RESERVED = new Set(["%", "^", "$", "#", "@", ";", "?", "|", "*", "+", "{", "}"]);
const STOPS = "=!<>~()[],\"'";
const OPERATORS = ["!=", ">=", "<=", "!~", "=", ">", "<", "~"];
const SINGLE: Record<string, TokenType> = {
  "(": "lparen",
  ")": "rparen",
  "[": "lbracket",
  "]": "rbracket",
  ",": "comma",
};
const ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  '"': '"',
  "'": "'",
  " ": " ",
};

/** Reads the escape at `input[i]` (just after the backslash); returns [text, next index]. */
function readEscape(input: string, i: number): [string, number] {
  const ch = input.charAt(i);
  const simple = ESCAPES[ch];
  if (simple !== undefined) {
    return [simple, i + 1];
  }
  const hex = input.slice(i + 1, i + 5);
  if (ch === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
    return [String.fromCharCode(Number.parseInt(hex, 16)), i + 5];
  }
  throw jqlSyntaxError(`Illegal escape sequence '\\${ch}' in the JQL query.`, i - 1);
}

function quoted(input: string, start: number): [Token, number] {
  const quote = input.charAt(start);
  let value = "";
  let i = start + 1;
  while (i < input.length && input.charAt(i) !== quote) {
    if (input.charAt(i) === "\\") {
      const [text, next] = readEscape(input, i + 1);
      value += text;
      i = next;
    } else {
      value += input.charAt(i);
      i++;
    }
  }
  if (i >= input.length) {
    throw jqlSyntaxError(`The quoted string '${value}' has not been completed.`, start);
  }
  return [{ type: "string", value, pos: start }, i + 1];
}

function word(input: string, start: number): [Token, number] {
  let value = "";
  let i = start;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c) || STOPS.includes(c)) {
      break;
    }
    if (c === "\\") {
      const [text, next] = readEscape(input, i + 1);
      value += text;
      i = next;
      continue;
    }
    if (RESERVED.has(c)) {
      const code = c.charCodeAt(0).toString(16).padStart(4, "0");
      throw jqlSyntaxError(
        `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`,
        i,
      );
    }
    value += c;
    i++;
  }
  return [{ type: "word", value, pos: start }, i];
}

/**
 * Splits a JQL query into tokens, ending with an `eof` token.
 *
 * @example
 * tokenize('cf[10010] = "a b"') // word cf, [, word 10010, ], op =, string "a b", eof
 */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const single = SINGLE[ch];
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    let token: Token;
    if (ch === '"' || ch === "'") {
      [token, i] = quoted(input, i);
    } else if (single) {
      token = { type: single, value: ch, pos: i };
      i++;
    } else if (op) {
      token = { type: "op", value: op, pos: i };
      i += op.length;
    } else if (input.startsWith("&&", i) || input.startsWith("||", i)) {
      // Jira accepts && and || for AND and OR.
      token = { type: "word", value: input.slice(i, i + 2), pos: i };
      i += 2;
    } else if (ch === "!") {
      // `!` alone is NOT (Jira accepts it like `&&` and `||`).
      token = { type: "word", value: "!", pos: i };
      i++;
    } else {
      [token, i] = word(input, i);
    }
    tokens.push(token);
  }
  tokens.push({ type: "eof", value: "", pos: input.length });
  return tokens;
}
