import type { Completion, CompletionRequest, LlmClient } from "./provider";
import { type AttemptFailure, withRetries } from "./retry";

/** The slice of the Workers AI binding (`[ai] binding = "AI"`) a text-generation call uses. */
export interface AiBinding {
  run(model: string, input: Record<string, unknown>): Promise<unknown>;
}

interface TextGenerationOutput {
  response?: unknown;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** Errors of the binding carry no HTTP status; every failure is worth one more try. */
const classify = (): AttemptFailure => ({ status: undefined, retryable: true });

function timeout(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

/** Cloudflare Workers AI through the Worker's AI binding: no key, no network setting. */
export class WorkersAiClient implements LlmClient {
  readonly type = "workers-ai";

  constructor(
    readonly model: string,
    readonly binding: AiBinding,
  ) {}

  complete(request: CompletionRequest): Promise<Completion> {
    return withRetries(async (signal) => {
      // The binding takes no AbortSignal; racing it keeps the caller's deadline.
      const output = (await Promise.race([
        this.binding.run(this.model, {
          messages: [{ role: "system", content: request.system }, ...request.messages],
          max_tokens: request.maxTokens,
        }),
        timeout(signal),
      ])) as TextGenerationOutput;
      return {
        text: typeof output.response === "string" ? output.response : "",
        tokensIn: output.usage?.prompt_tokens ?? 0,
        tokensOut: output.usage?.completion_tokens ?? 0,
      };
    }, classify);
  }
}
