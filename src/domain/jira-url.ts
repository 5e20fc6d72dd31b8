/**
 * Which Jira base URLs the product may call (SSRF safety). Production: https only, on Atlassian's
 * hosts or an explicitly allowed one, never an IP literal in a private, loopback, link-local or
 * CGNAT range. Development additionally allows http on loopback (the simulator).
 */
export interface JiraUrlPolicy {
  environment: "development" | "production";
  allowedHosts: readonly string[];
}

export type JiraUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const ATLASSIAN_SUFFIX = ".atlassian.net";
const ATLASSIAN_API = "api.atlassian.com";
const ATLASSIAN_AUTH = "auth.atlassian.com";
const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

function ipv4(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.map(Number);
}

function isPrivateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    a >= 224
  );
}

function isPrivateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    h === "::1" ||
    h === "::" ||
    h.startsWith("fc") ||
    h.startsWith("fd") ||
    h.startsWith("fe80") ||
    h.startsWith("::ffff:")
  );
}

export function checkJiraUrl(raw: string, policy: JiraUrlPolicy): JiraUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not a valid absolute URL" };
  }
  if (url.username || url.password) {
    return { ok: false, reason: "must not contain credentials" };
  }
  if (url.search || url.hash) {
    return { ok: false, reason: "must not contain a query or fragment" };
  }
  const host = url.hostname.toLowerCase();
  const normalized = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
  const devLoopback =
    policy.environment === "development" && LOOPBACK_NAMES.has(host) && url.protocol === "http:";
  if (devLoopback) {
    return { ok: true, url: normalized };
  }
  if (url.protocol !== "https:") {
    return { ok: false, reason: "must use https://" };
  }
  const v4 = ipv4(host);
  const privateAddress =
    (v4 !== undefined && isPrivateIpv4(v4)) ||
    (host.startsWith("[") && isPrivateIpv6(host)) ||
    LOOPBACK_NAMES.has(host);
  if (privateAddress) {
    return { ok: false, reason: "must not point at a private, loopback or link-local address" };
  }
  const allowed =
    host.endsWith(ATLASSIAN_SUFFIX) ||
    host === ATLASSIAN_API ||
    host === ATLASSIAN_AUTH ||
    policy.allowedHosts.includes(host);
  if (!allowed) {
    return {
      ok: false,
      reason: `host ${host} is neither a Jira Cloud host (*.atlassian.net, api.atlassian.com) nor listed in ALLOWED_JIRA_HOSTS`,
    };
  }
  return { ok: true, url: normalized };
}
