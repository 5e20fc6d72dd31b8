import Anthropic from "@anthropic-ai/sdk";
import type { Completion, CompletionRequest, LlmClient } from "./provider";
import { type AttemptFailure, retryableStatus, withRetries } from "./retry";

function classify(error: unknown): AttemptFailure {
  const status = error instanceof Anthropic.APIError ? error.status : undefined;
  // 529 "overloaded" is Anthropic's own; retryableStatus treats every 5xx as worth a retry.
  return { status, retryable: retryableStatus(status) };
}

/** Anthropic's Messages API, via the official SDK. */
export class AnthropicClient implements LlmClient {
  readonly type = "anthropic";
  readonly #client: Anthropic;

  constructor(
    readonly model: string,
    apiKey: string,
    baseUrl: string | undefined,
  ) {
    this.#client = new Anthropic({ apiKey, baseURL: baseUrl, maxRetries: 0, timeout: 30_000 });
  }

  complete(request: CompletionRequest): Promise<Completion> {
    return withRetries(async (signal) => {
      const answer = await this.#client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxTokens,
          system: request.system,
          messages: request.messages,
        },
        { signal },
      );
      const text = answer.content
        .map((block) => (block.type === "text" ? block.text : ""))
        .join("");
      return {
        text,
        tokensIn: answer.usage.input_tokens,
        tokensOut: answer.usage.output_tokens,
      };
    }, classify);
  }
}
