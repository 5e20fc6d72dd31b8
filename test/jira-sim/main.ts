// CLI: `npm run jira-sim -- --port 9900 --issues 5000 --seed 1` prints one JSON line
// {"url","email","apiToken"} once listening and exits cleanly on SIGINT/SIGTERM.

import { parseArgs } from "node:util";
import { startJiraSimulator } from "./server.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "9900" },
    host: { type: "string", default: "127.0.0.1" },
    seed: { type: "string", default: "1" },
    issues: { type: "string", default: "50" },
    projects: { type: "string", default: "3" },
    users: { type: "string", default: "20" },
  },
  strict: true,
});

function int(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
  return n;
}

const sim = await startJiraSimulator({
  port: int("port", values.port),
  host: values.host,
  seed: int("seed", values.seed),
  issues: int("issues", values.issues),
  projects: int("projects", values.projects),
  users: int("users", values.users),
});

process.stdout.write(
  `${JSON.stringify({ url: sim.url, email: sim.email, apiToken: sim.apiToken })}\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) {
    return;
  }
  stopping = true;
  void sim.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
