import OpenAI from "openai";
import type { Completion, CompletionRequest, LlmClient } from "./provider";
import { type AttemptFailure, retryableStatus, withRetries } from "./retry";

function classify(error: unknown): AttemptFailure {
  const status = error instanceof OpenAI.APIError ? error.status : undefined;
  return { status, retryable: retryableStatus(status) };
}

/** Any OpenAI-compatible Chat Completions endpoint (OpenAI, Azure, Ollama, vLLM…), via the official SDK. */
export class OpenAiClient implements LlmClient {
  readonly type = "openai";
  readonly #client: OpenAI;

  constructor(
    readonly model: string,
    apiKey: string,
    baseUrl: string | undefined,
  ) {
    // Our retry loop owns retries and timeouts (one budget for the whole call).
    this.#client = new OpenAI({ apiKey, baseURL: baseUrl, maxRetries: 0, timeout: 30_000 });
  }

  complete(request: CompletionRequest): Promise<Completion> {
    return withRetries(async (signal) => {
      const answer = await this.#client.chat.completions.create(
        {
          model: this.model,
          max_tokens: request.maxTokens,
          temperature: 0,
          messages: [{ role: "system", content: request.system }, ...request.messages],
        },
        { signal },
      );
      return {
        text: answer.choices[0]?.message.content ?? "",
        tokensIn: answer.usage?.prompt_tokens ?? 0,
        tokensOut: answer.usage?.completion_tokens ?? 0,
      };
    }, classify);
  }
}
