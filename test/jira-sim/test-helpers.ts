// Small HTTP helpers shared by the simulator's own tests.

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface SiteInfo {
  siteId: string;
  url: string;
  email: string;
  apiToken: string;
  timeZone: string;
  oauth: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
    cloudId: string;
    tokenUrl: string;
  };
}

export function basic(email: string, token: string): string {
  return `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`;
}

export async function call(
  url: string,
  init: {
    method?: string;
    auth?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
  if (init.auth) {
    headers.Authorization = init.auth;
  }
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["Content-Type"] ??= "application/json";
  }
  const res = await fetch(url, { method: init.method ?? "GET", headers, body });
  const text = await res.text();
  let parsed: unknown;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

export async function createSite(
  root: string,
  options: Record<string, unknown> = {},
): Promise<SiteInfo> {
  const r = await call(`${root}/_sim/sites`, { method: "POST", body: options });
  if (r.status !== 201) {
    throw new Error(`site creation failed: ${r.status} ${r.text}`);
  }
  return r.body as SiteInfo;
}

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj {
  if (typeof v !== "object" || v === null) {
    throw new Error(`expected an object, got ${JSON.stringify(v)}`);
  }
  return v as Obj;
}

export function arr(v: unknown): Obj[] {
  if (!Array.isArray(v)) {
    throw new Error(`expected an array, got ${JSON.stringify(v)?.slice(0, 200)}`);
  }
  return v as Obj[];
}
