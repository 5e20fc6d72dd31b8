/**
 * Jira Cloud REST v3 client factory. One client per Jira instance: it owns (or shares) the pacer
 * that keeps that instance's request rate within budget.
 */
import { createAuthProvider, type JiraAuth } from "./auth";
import { bulkMethods } from "./bulk";
import { type CompletionSources, completeIssue } from "./complete";
import { JiraHttp } from "./http";
import { issueMethods } from "./issues";
import { defaultSleep, Pacer, type RequestBudget } from "./pacer";
import { readMethods } from "./read";
import type { JiraClientEvent } from "./request";
import type { JiraIssue } from "./schemas";
import { writeMethods } from "./write";

export interface JiraClientOptions {
  /** Site root without `/rest/...`: `https://x.atlassian.net`, `https://api.atlassian.com/ex/jira/{cloudId}`. */
  baseUrl: string;
  auth: JiraAuth;
  /** Per-attempt timeout, including reading the body (default 30 s). */
  timeoutMs?: number;
  /** Attempts per call, first one included (default 5). */
  maxAttempts?: number;
  /** Request budget for this instance: at most `requests` starts in any `perSeconds` window. */
  budget?: RequestBudget;
  /** Concurrent requests in flight (default 4). */
  maxConcurrency?: number;
  /** Backoff base (default 250 ms) and cap (default 30 s) for full-jitter exponential backoff. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Cap applied to Retry-After (default 60 s). */
  maxRetryAfterSeconds?: number;
  /** Share one pacer between several clients of the same instance (overrides budget/concurrency). */
  pacer?: Pacer;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onEvent?: (event: JiraClientEvent) => void;
  fetch?: typeof fetch;
}

export function createJiraClient(options: JiraClientOptions) {
  const sleep = options.sleep ?? defaultSleep;
  const pacer =
    options.pacer ??
    new Pacer({ budget: options.budget, maxConcurrency: options.maxConcurrency ?? 4, sleep });
  const http = new JiraHttp({
    baseUrl: options.baseUrl,
    auth: createAuthProvider(options.auth),
    pacer,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: options.timeoutMs ?? 30_000,
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    maxRetryAfterMs: (options.maxRetryAfterSeconds ?? 60) * 1000,
    sleep,
    random: options.random ?? Math.random,
    onEvent: options.onEvent,
  });
  const issues = issueMethods(http);
  const sources: CompletionSources = issues;
  return {
    ...readMethods(http),
    ...issues,
    ...bulkMethods(http),
    ...writeMethods(http),
    /**
     * Given an issue whose embedded `fields.comment` and/or `changelog` may be truncated
     * (`total` > items), fetch the rest: the returned copy has ALL comments (oldest first) and
     * ALL histories (oldest first, as `/issue/{key}/changelog` returns them).
     */
    completeIssue(issue: JiraIssue): Promise<JiraIssue> {
      return completeIssue(sources, issue);
    },
    /** The pacer of this client, e.g. to share with another client of the same instance. */
    pacer,
  };
}

export type JiraClient = ReturnType<typeof createJiraClient>;
