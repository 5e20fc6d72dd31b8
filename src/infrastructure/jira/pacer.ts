/**
 * Per-instance request pacing: a request budget (at most N request starts in any sliding window
 * of `perSeconds`), a concurrency limit, and a shared pause when Jira answers 429 — so the client
 * slows down before Jira has to say so, and all callers back off together when it does.
 *
 * Slots are scheduled, not polled: each acquisition computes the earliest start that keeps the
 * window within budget, sleeps until then, and records that start. This stays correct with an
 * injected (fake) sleep and never busy-waits.
 */

export interface RequestBudget {
  requests: number;
  perSeconds: number;
}

export interface PacerOptions {
  budget?: RequestBudget;
  maxConcurrency?: number;
  /** Extra spacing added to each window to absorb clock and network skew (default 50 ms). */
  marginMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class Pacer {
  private readonly budget: RequestBudget | undefined;
  private readonly maxConcurrency: number;
  private readonly marginMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  /** Scheduled start times of the most recent requests (at most `budget.requests`). */
  private readonly starts: number[] = [];
  private scheduleChain: Promise<void> = Promise.resolve();
  private pausedUntil = 0;
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(options: PacerOptions = {}) {
    const budget = options.budget;
    if (budget !== undefined && (budget.requests < 1 || budget.perSeconds <= 0)) {
      throw new RangeError("budget needs requests >= 1 and perSeconds > 0");
    }
    this.budget = budget;
    this.maxConcurrency = Math.max(1, options.maxConcurrency ?? 10);
    this.marginMs = options.marginMs ?? 50;
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
  }

  /** Wait for a concurrency slot and a budget slot; returns the release function. */
  async acquire(): Promise<() => void> {
    await this.takeConcurrency();
    try {
      await this.takeBudget();
    } catch (error) {
      this.releaseConcurrency();
      throw error;
    }
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.releaseConcurrency();
      }
    };
  }

  /** Hold every caller of this pacer for `ms` (e.g. after a 429 with Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  get inFlight(): number {
    return this.active;
  }

  private takeConcurrency(): Promise<void> {
    if (this.active < this.maxConcurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push(() => {
        this.active++;
        resolve();
      });
    });
  }

  private releaseConcurrency(): void {
    this.active--;
    const next = this.waiters.shift();
    if (next) {
      next();
    }
  }

  /** Serialized so that concurrent callers get distinct, ordered slots. */
  private takeBudget(): Promise<void> {
    const slot = this.scheduleChain.then(() => this.reserve());
    this.scheduleChain = slot.then(
      () => undefined,
      () => undefined,
    );
    return slot;
  }

  private async reserve(): Promise<void> {
    const now = this.now();
    let start = Math.max(now, this.pausedUntil);
    const budget = this.budget;
    if (budget) {
      const windowMs = budget.perSeconds * 1000 + this.marginMs;
      const last = this.starts[this.starts.length - 1] ?? 0;
      start = Math.max(start, last);
      if (this.starts.length >= budget.requests) {
        const oldest = this.starts[this.starts.length - budget.requests] ?? 0;
        start = Math.max(start, oldest + windowMs);
      }
      this.starts.push(start);
      if (this.starts.length > budget.requests) {
        this.starts.splice(0, this.starts.length - budget.requests);
      }
    }
    if (start > now) {
      await this.sleep(start - now);
    }
    // A 429 elsewhere may have paused the instance while we waited: honour it too.
    if (this.pausedUntil > start) {
      await this.sleep(this.pausedUntil - start);
      start = this.pausedUntil;
      if (budget) {
        this.starts[this.starts.length - 1] = start;
      }
    }
  }
}
