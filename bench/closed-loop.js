// The measurement of the distributed cases: `concurrency` loops, each runs one workflow (start it,
// wait until it is done) after another; `warmup` runs first (connections, JIT), then `total`
// measured: throughput over the run and end-to-end latency per workflow.
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** `runOne()` starts one workflow and resolves when it is done. */
export async function closedLoop({ concurrency, total, warmup = 200, runOne }) {
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
  latencies.length = 0;
  const t0 = performance.now();
  await loops(total);
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    workflows: total,
    concurrency,
    seconds: Number(seconds.toFixed(2)),
    workflows_per_sec: Math.round(total / seconds),
    p50_ms: Number(quantile(latencies, 0.5).toFixed(1)),
    p99_ms: Number(quantile(latencies, 0.99).toFixed(1)),
  };
}
