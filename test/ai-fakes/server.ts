/**
 * Local stand-ins for external AI vendors, speaking their documented wire formats:
 *   POST /openai/v1/chat/completions   OpenAI Chat Completions (Authorization: Bearer <key>)
 *   POST /anthropic/v1/messages        Anthropic Messages (x-api-key: <key>)
 *   POST /workers-ai/run/<model>       what the test's Workers AI stand-in binding forwards
 * Every request is recorded; answers are scripted per "scope" (the API key a test configured, or
 * "workers-ai"), so parallel tests never see each other's traffic. Control endpoints:
 *   POST /_control/script {scope, answers: [{status?, text?, body?, delayMs?}]}  queue answers
 *   GET  /_control/requests?scope=…                                      recorded requests
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  status?: number;
  /** The assistant's text, wrapped in the vendor's success shape. */
  text?: string;
  /** A raw JSON body instead (error shapes). */
  body?: unknown;
  delayMs?: number;
}

export interface RecordedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_TEXT = '{"summary": "A default answer.", "keyPoints": [], "openQuestions": []}';

function openAiBody(model: string, text: string) {
  return {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
  };
}

function anthropicBody(model: string, text: string) {
  return {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 110, output_tokens: 25 },
  };
}

function scopeOf(path: string, headers: http.IncomingHttpHeaders): string {
  if (path.startsWith("/workers-ai/")) {
    return "workers-ai";
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1];
  return String(headers["x-api-key"] ?? bearer ?? "anonymous");
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });

export async function startAiFakes(): Promise<{ url: string; close: () => Promise<void> }> {
  const scripts = new Map<string, ScriptedAnswer[]>();
  const recorded = new Map<string, RecordedRequest[]>();

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const body = await readBody(req);
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    if (url.pathname === "/_control/script" && req.method === "POST") {
      const { scope, answers } = JSON.parse(body) as { scope: string; answers: ScriptedAnswer[] };
      scripts.set(scope, [...(scripts.get(scope) ?? []), ...answers]);
      return send(200, { ok: true });
    }
    if (url.pathname === "/_control/requests") {
      return send(200, recorded.get(url.searchParams.get("scope") ?? "") ?? []);
    }
    const scope = scopeOf(url.pathname, req.headers);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
    );
    recorded.set(scope, [...(recorded.get(scope) ?? []), { path: url.pathname, headers, body }]);
    const answer = scripts.get(scope)?.shift() ?? {};
    if (answer.delayMs) {
      await new Promise((r) => setTimeout(r, answer.delayMs));
    }
    const status = answer.status ?? 200;
    const text = answer.text ?? DEFAULT_TEXT;
    const model = (JSON.parse(body || "{}") as { model?: string }).model ?? "fake-model";
    if (answer.body !== undefined || status !== 200) {
      return send(
        status,
        answer.body ?? { error: { type: "server_error", message: "scripted failure" } },
      );
    }
    if (url.pathname === "/openai/v1/chat/completions") {
      return send(200, openAiBody(model, text));
    }
    if (url.pathname === "/anthropic/v1/messages") {
      return send(200, anthropicBody(model, text));
    }
    if (url.pathname.startsWith("/workers-ai/run/")) {
      return send(200, { response: text, usage: { prompt_tokens: 90, completion_tokens: 20 } });
    }
    return send(404, { error: { message: `no route ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
