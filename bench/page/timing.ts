/** Timing helpers for the bench pages: repeated, interleaved runs summarised by their median. */
import { median } from '../../src/platform/backend';

export interface Timing {
  readonly median_ms: number;
  readonly p90_ms: number;
  readonly runs: number;
}

export function summarise(times: readonly number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    median_ms: median(times),
    p90_ms: sorted[Math.min(sorted.length - 1, Math.floor(0.9 * sorted.length))],
    runs: times.length,
  };
}

/**
 * Times each named step `runs` times after `warmup` untimed rounds, alternating which step goes first
 * (A B, B A, ...) so that neither side profits from the other's warm caches or from a load change on this
 * shared machine drifting in one direction. `prepare`, when given, runs untimed before every step.
 */
export async function interleaved<K extends string>(
  runs: number,
  warmup: number,
  steps: Readonly<Record<K, () => Promise<unknown>>>,
  prepare?: () => Promise<void>,
): Promise<Record<K, Timing>> {
  const names = Object.keys(steps) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < warmup + runs; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      await prepare?.();
      const start = performance.now();
      await steps[name]();
      const elapsed = performance.now() - start;
      if (round >= warmup) times[name].push(elapsed);
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarise(times[name])])) as Record<K, Timing>;
}

/**
 * The longest gap between turns of the event loop while `work` runs: a setTimeout(0) chain (how soon the page
 * could react to input) and, where Chromium reports them, long tasks. What the user would feel as a freeze.
 */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; maxStallMs: number }> {
  let maxGap = 0;
  let last = performance.now();
  let running = true;
  const beat = () => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  let maxLongTask = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) maxLongTask = Math.max(maxLongTask, entry.duration);
  });
  try {
    observer.observe({ type: 'longtask', buffered: false });
  } catch {
    // No long-task entries in this browser: the heartbeat alone measures.
  }
  try {
    const start = performance.now();
    const result = await work();
    const ms = performance.now() - start;
    // One more beat, so a stall at the very end of `work` is counted too.
    await new Promise((done) => setTimeout(done, 0));
    return { result, ms, maxStallMs: Math.max(maxGap, maxLongTask) };
  } finally {
    running = false;
    observer.disconnect();
  }
}
