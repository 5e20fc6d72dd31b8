// A stand-in for the Workers AI binding in tests: the same `run(model, inputs)` contract as
// `env.AI`, answered by the local fake server (test/ai-fakes/server.ts) over loopback HTTP.
// Loaded by miniflare as a wrapped binding (vitest.config.ts).
export default function (env) {
  return {
    async run(model, inputs) {
      const res = await fetch(`${env.FAKE_URL}/workers-ai/run/${model}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(inputs),
      });
      if (!res.ok) {
        throw new Error(`Workers AI stand-in: HTTP ${res.status}`);
      }
      return res.json();
    },
  };
}
