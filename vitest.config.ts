import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["./test/global-setup.ts"],
    // Coverage is a root-only option in vitest 5: it covers every project. Only istanbul works
    // inside workerd (V8 coverage cannot reach the isolate).
    coverage: {
      provider: "istanbul",
      include: ["src/**", "durable-objects/**"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 80 },
      // Show the figures even when a test fails (the run still fails).
      reportOnFailure: true,
    },
    projects: [
      {
        // Tests of Node-side tooling: the Jira simulator, dev scripts, shims.
        test: {
          name: "node",
          include: [
            "test/jira-sim/**/*.test.ts",
            "test/node/**/*.test.ts",
            "test/browser/**/*.test.ts",
          ],
          environment: "node",
          testTimeout: 30_000,
        },
      },
      {
        // Everything else runs inside workerd against real Postgres, Redis and the simulator.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: "./wrangler.toml" },
            // No Cloudflare account in tests: [ai] gets the local stand-in below, never a remote proxy.
            remoteBindings: false,
            miniflare: {
              bindings: {
                ENVIRONMENT: "development",
                LOG_LEVEL: "warn",
                DATABASE_URL: inject<string>("databaseUrl"),
                DATABASE_ADMIN_URL: inject<string>("databaseAdminUrl"),
                DB_WS_PROXY: inject<string>("wsProxy"),
                DB_HTTP_ENDPOINT: inject<string>("dbHttpEndpoint"),
                ADMIN_TOKEN: "test-admin-token",
                ENCRYPTION_KEY: "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                UPSTASH_REDIS_REST_URL: inject<string>("upstashUrl"),
                UPSTASH_REDIS_REST_TOKEN: inject<string>("upstashToken"),
                JIRA_SIM_URL: inject<string>("jiraSimUrl"),
                AI_FAKE_URL: inject<string>("aiFakeUrl"),
              },
              // Workers AI needs a Cloudflare account: wrangler.toml's remote-only [ai] binding moves
              // out of the way (renamed, never called) and a stand-in with the same run() contract
              // takes the name AI.
              ai: { binding: "AI_REMOTE_UNUSED_IN_TESTS" },
              serviceBindings: { AI: "workers-ai-standin" },
              workers: [
                {
                  name: "workers-ai-standin",
                  modules: true,
                  scriptPath: "./test/ai-fakes/workers-ai-standin.js",
                  compatibilityDate: "2026-11-01",
                  bindings: { FAKE_URL: inject<string>("aiFakeUrl") },
                },
              ],
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/unit/**/*.test.ts", "test/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
