// A stand-in for the Workers AI binding in tests: an RPC service binding with the same
// `run(model, inputs)` contract as `env.AI`, answered by the local fake server
// (test/ai-fakes/server.ts) over loopback HTTP. Bound as AI in vitest.config.ts.
import { WorkerEntrypoint } from "cloudflare:workers";

export default class WorkersAiStandIn extends WorkerEntrypoint {
  async run(model, inputs) {
    const res = await fetch(`${this.env.FAKE_URL}/workers-ai/run/${model}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(inputs),
    });
    if (!res.ok) {
      throw new Error(`Workers AI stand-in: HTTP ${res.status}`);
    }
    return res.json();
  }
}
