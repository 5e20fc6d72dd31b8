import { testEnv } from "./env";

export interface ScriptedAnswer {
  status?: number;
  text?: string;
  body?: unknown;
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Queues answers the fake vendor gives to requests made with `scope` (the API key, or "workers-ai"). */
export async function scriptAnswers(scope: string, answers: ScriptedAnswer[]): Promise<void> {
  const res = await fetch(`${testEnv.AI_FAKE_URL}/_control/script`, {
    method: "POST",
    body: JSON.stringify({ scope, answers }),
  });
  if (!res.ok) {
    throw new Error(`scripting the fake failed: ${res.status}`);
  }
}

/** Every request the fake vendor received with `scope`, bodies as sent. */
export async function recordedRequests(scope: string): Promise<RecordedRequest[]> {
  const res = await fetch(
    `${testEnv.AI_FAKE_URL}/_control/requests?scope=${encodeURIComponent(scope)}`,
  );
  return (await res.json()) as RecordedRequest[];
}

export const uniqueApiKey = () => `sk-fake-${crypto.randomUUID().replaceAll("-", "")}`;
