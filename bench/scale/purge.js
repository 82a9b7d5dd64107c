// Case 4: purge of the finished instances (all past their `purgeAfter`), with live 3-step
// workflows running in the same engine at the same time.
import { closedLoop } from '../closed-loop.js';
import { makeEngine, progress, quantile, round } from './common.js';

const PURGE_BATCH = Number(process.env.SCALE_PURGE_BATCH ?? 10_000);
const WORKFLOWS = Number(process.env.SCALE_WORKFLOWS ?? 3_000);
const MAX_SECONDS = Number(process.env.SCALE_PURGE_SECONDS ?? 600);

/** 50 loops running `runOne` until `stopped()`: workflows/s and latency over that time. */
async function runWhile(runOne, stopped) {
  const latencies = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (!stopped()) {
        const t = performance.now();
        await runOne();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { workflows: latencies.length, seconds: round(seconds, 2), workflows_per_sec: Math.round(latencies.length / seconds), p50_ms: round(quantile(latencies, 0.5) ?? 0, 1), p99_ms: round(quantile(latencies, 0.99) ?? 0, 1) };
}

/**
 * Purges every purgeable instance in rounds of PURGE_BATCH while 50 live workflows run (for at
 * most SCALE_PURGE_SECONDS, 600) with `engine.purge({ limit: PURGE_BATCH })`, after a baseline of
 * the same engine without the purge.
 */
export async function measurePurge(make, expected) {
  const { engine, runOne } = makeEngine(make());
  await engine.ready;
  try {
    const baseline = await closedLoop({ concurrency: 50, total: WORKFLOWS, warmup: 200, runOne });
    let purged = 0;
    let done = false;
    let lastReport = performance.now();
    const t0 = performance.now();
    const purging = (async () => {
      try {
        while (performance.now() - t0 < MAX_SECONDS * 1000) {
          const n = (await engine.purge({ limit: PURGE_BATCH })).purged;
          if (n === 0) break;
          purged += n;
          if (performance.now() - lastReport > 2_000) {
            lastReport = performance.now();
            progress(`purged ${purged.toLocaleString('en')} / ${expected.toLocaleString('en')} (${Math.round(purged / ((lastReport - t0) / 1000)).toLocaleString('en')}/s)`);
          }
        }
      } finally {
        done = true;
      }
    })();
    const [live] = await Promise.all([runWhile(runOne, () => done), purging]);
    const seconds = (performance.now() - t0) / 1000;
    return {
      per_call: PURGE_BATCH,
      purged,
      expected,
      seconds: round(seconds, 1),
      purged_per_sec: Math.round(purged / seconds),
      live_during_purge: live,
      live_without_purge: { workflows: baseline.workflows, workflows_per_sec: baseline.workflows_per_sec, p50_ms: baseline.p50_ms, p99_ms: baseline.p99_ms },
      live_ratio_vs_without: round(live.workflows_per_sec / baseline.workflows_per_sec, 2),
    };
  } finally {
    await engine.close();
  }
}
