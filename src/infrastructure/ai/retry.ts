import { AI_TIMEOUTS, AiUnavailableError } from "./provider";

/** An error the vendor SDKs raise, reduced to what the retry decision needs. */
export interface AttemptFailure {
  status: number | undefined;
  retryable: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` with a per-attempt timeout, retrying 429s, 5xx, timeouts and connection errors
 * with exponential backoff (250 ms, 1 s) while the overall budget lasts. The SDKs' own retries
 * are switched off so this budget is the only one.
 *
 * @example
 * await withRetries((signal) => client.chat.completions.create(body, { signal }), classify);
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
  budget: { attemptMs: number; totalMs: number; retries: number } = AI_TIMEOUTS,
): Promise<T> {
  const deadline = Date.now() + budget.totalMs;
  let last: AttemptFailure = { status: undefined, retryable: true };
  for (let n = 0; n <= budget.retries; n++) {
    const left = deadline - Date.now();
    if (left <= 0) {
      break;
    }
    try {
      return await attempt(AbortSignal.timeout(Math.min(budget.attemptMs, left)));
    } catch (error) {
      last = classify(error);
      if (!last.retryable) {
        break;
      }
      const pause = 250 * 4 ** n;
      if (n < budget.retries && Date.now() + pause < deadline) {
        await sleep(pause);
      }
    }
  }
  const why = last.status ? `answered HTTP ${last.status}` : "did not answer in time";
  throw new AiUnavailableError(`The AI provider ${why}.`, last.status);
}

/** 408, 409, 429 and 5xx are worth another try (as the vendors document); other 4xx are not. */
export function retryableStatus(status: number | undefined): boolean {
  return (
    status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
  );
}
