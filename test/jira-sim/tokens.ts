// Opaque pagination tokens: an offset bound to a hash of the query it belongs to, so a token
// replayed with a different JQL (or issue list) is rejected like Jira rejects foreign tokens.

import { createHash } from "node:crypto";
import { jiraError } from "./http.ts";

function scopeHash(scope: string): string {
  return createHash("sha256").update(scope).digest("hex").slice(0, 16);
}

export function pageToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, h: scopeHash(scope) })).toString("base64url");
}

export function readPageToken(token: string, scope: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      o?: unknown;
      h?: unknown;
    };
    if (
      typeof parsed.o === "number" &&
      Number.isInteger(parsed.o) &&
      parsed.o >= 0 &&
      parsed.h === scopeHash(scope)
    ) {
      return parsed.o;
    }
  } catch {
    // Not base64/JSON: reported below like any other invalid token.
  }
  throw jiraError(400, ["The provided next page token is invalid or does not match the query."]);
}
