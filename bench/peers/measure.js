// Measurements of bench/peers: sequential latency (one at a time, start → completed) and
// throughput with `concurrency` in flight; medians and spread over interleaved rounds.
import { closedLoop } from '../closed-loop.js';

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
export const round = (x, digits = 3) => Number(x.toFixed(digits));

/** `count` runs one after another after `warmup`: p50/p99/mean in ms. */
export async function sequential(runOne, count, warmup) {
  for (let i = 0; i < warmup; i++) await runOne();
  global.gc?.();
  const times = new Array(count);
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await runOne();
    times[i] = performance.now() - t;
  }
  const mean = times.reduce((s, x) => s + x, 0) / count;
  times.sort((a, b) => a - b);
  return { count, p50_ms: round(quantile(times, 0.5)), p99_ms: round(quantile(times, 0.99)), mean_ms: round(mean) };
}

/** `concurrency` loops run `total` after a warm-up of `warmup`: per second, and latency under load. */
export async function throughput(runOne, total, concurrency, warmup) {
  const r = await closedLoop({ concurrency, total, warmup, runOne, afterWarmup: () => global.gc?.() });
  return { count: total, concurrency, seconds: r.seconds, per_sec: r.workflows_per_sec, p50_ms: r.p50_ms, p99_ms: r.p99_ms };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Median of `key` over rounds, with min, max and the spread ((max - min) / median, in %). */
export function summarize(rounds, key) {
  const xs = rounds.map((r) => r[key]);
  const med = median(xs);
  const min = Math.min(...xs);
  const max = Math.max(...xs);
  return { median: round(med), min: round(min), max: round(max), spread_pct: med ? round(((max - min) / med) * 100, 1) : 0 };
}
