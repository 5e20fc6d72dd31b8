/** Delay before a failed message's next attempt: 2^attempts seconds with jitter, capped at 5 min. */
export function retryDelaySeconds(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(300, 2 ** Math.max(1, attempts));
  return Math.max(1, Math.round(base / 2 + (random() * base) / 2));
}
