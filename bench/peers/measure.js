// Measurements of bench/peers: sequential latency (one at a time, start → completed) and
// throughput with `concurrency` in flight; medians and spread over interleaved rounds.

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
  const latencies = [];
  const loops = async (count) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) {
          const t = performance.now();
          await runOne();
          latencies.push(performance.now() - t);
        }
      }),
    );
  };
  await loops(warmup);
  global.gc?.();
  latencies.length = 0;
  const t0 = performance.now();
  await loops(total);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: total, concurrency, seconds: round(seconds, 2), per_sec: Math.round(total / seconds), p50_ms: round(quantile(latencies, 0.5), 1), p99_ms: round(quantile(latencies, 0.99), 1) };
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
