/**
 * The one interface every external AI provider implements. The built-in provider needs no client:
 * its algorithms run in the application layer over the tenant's own data.
 */
export type ProviderType = "builtin" | "openai" | "anthropic" | "workers-ai";

export interface ChatMessage {
  role: "user" | "assistant";
  content: string;
}

export interface CompletionRequest {
  system: string;
  messages: ChatMessage[];
  maxTokens: number;
}

export interface Completion {
  text: string;
  tokensIn: number;
  tokensOut: number;
}

export interface LlmClient {
  readonly type: Exclude<ProviderType, "builtin">;
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}

/**
 * The provider did not answer usefully after the retries (down, slow, refusing our key). The
 * message is ours, never the vendor's body (which could echo the prompt).
 */
export class AiUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = "AiUnavailableError";
  }
}

/** Per attempt and overall: a call never holds a request past 30 s (CONTRACT §7). */
export const AI_TIMEOUTS = { attemptMs: 12_000, totalMs: 28_000, retries: 2 } as const;
