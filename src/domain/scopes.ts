/** What an API key may do. */
export const SCOPES = ["read", "write", "sql", "ai"] as const;
export type Scope = (typeof SCOPES)[number];
