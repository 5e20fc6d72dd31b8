/**
 * `npm run dev -- --demo`: seeds a demo tenant backed by the Jira simulator.
 * HOOK — to be filled in with the sync engine (another engineer owns this). Whatever it starts
 * (e.g. the simulator) must be stopped by the returned function: dev.ts calls it on Ctrl-C.
 */
export interface DemoContext {
  /** Base URL of the running Worker, e.g. http://127.0.0.1:8787 */
  url: string;
  adminToken: string;
  log(line: string): void;
}

export type StopDemo = () => Promise<void>;

export async function startDemo(context: DemoContext): Promise<StopDemo | undefined> {
  context.log("demo mode arrives with the sync engine");
  return undefined;
}
