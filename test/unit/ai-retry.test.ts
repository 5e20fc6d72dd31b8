import { describe, expect, it } from "vitest";
import { AiUnavailableError } from "../../src/infrastructure/ai/provider";
import { withRetries } from "../../src/infrastructure/ai/retry";

const classify = (error: unknown) => {
  const status = (error as { status?: number }).status;
  return { status, retryable: status === undefined || status >= 500 || status === 429 };
};

describe("withRetries", () => {
  it("retries retryable failures and returns the first success", async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) {
          throw Object.assign(new Error("busy"), { status: 429 });
        }
        return "ok";
      },
      classify,
      { attemptMs: 1000, totalMs: 5000, retries: 2 },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
  });

  it("stops at once on a non-retryable status", async () => {
    let calls = 0;
    const failing = withRetries(async () => {
      calls++;
      throw Object.assign(new Error("no"), { status: 401 });
    }, classify);
    await expect(failing).rejects.toBeInstanceOf(AiUnavailableError);
    expect(calls).toBe(1);
  });

  it("gives up on a hanging provider within the overall budget", async () => {
    const started = Date.now();
    const hanging = withRetries(
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener("abort", () => reject(signal.reason)),
        ),
      classify,
      { attemptMs: 200, totalMs: 700, retries: 5 },
    );
    await expect(hanging).rejects.toThrow("did not answer in time");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
