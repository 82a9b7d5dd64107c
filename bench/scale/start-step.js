// Case 1: start-and-step throughput (50 in flight) and sequential latency of the 3-step no-op
// workflow, on the tables as they are (empty, or with the finished instances loaded).
import { closedLoop } from '../closed-loop.js';
import { makeEngine, round } from './common.js';

const WORKFLOWS = Number(process.env.SCALE_WORKFLOWS ?? 5_000);
const SEQUENTIAL = Number(process.env.SCALE_SEQUENTIAL ?? 300);

/** `{ workflows_per_sec, p50_ms, p99_ms, ... }` of 50 in flight, and `sequential: { p50_ms, p99_ms }`. */
export async function measureStartStep(make) {
  const { engine, runOne } = makeEngine(make());
  await engine.ready;
  try {
    const loop = await closedLoop({ concurrency: 50, total: WORKFLOWS, warmup: 500, runOne });
    const seq = await closedLoop({ concurrency: 1, total: SEQUENTIAL, warmup: 30, runOne });
    return { ...loop, sequential: { workflows: seq.workflows, p50_ms: seq.p50_ms, p99_ms: seq.p99_ms } };
  } finally {
    await engine.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `rounds` of loaded then empty, alternating (L E L E ...): each side's median throughput and
 * sequential p50/p99, every round, and the ratios of the medians.
 */
export async function measureInterleaved(makeLoaded, makeEmpty, rounds) {
  const runs = { loaded: [], empty: [] };
  for (let r = 0; r < rounds; r++) {
    runs.loaded.push(await measureStartStep(makeLoaded));
    runs.empty.push(await measureStartStep(makeEmpty));
  }
  const summary = (list) => ({
    workflows_per_sec: median(list.map((x) => x.workflows_per_sec)),
    sequential: { p50_ms: median(list.map((x) => x.sequential.p50_ms)), p99_ms: median(list.map((x) => x.sequential.p99_ms)) },
    rounds: list.map((x) => ({ workflows_per_sec: x.workflows_per_sec, p50_ms: x.sequential.p50_ms, p99_ms: x.sequential.p99_ms })),
  });
  const loaded = summary(runs.loaded);
  const empty = summary(runs.empty);
  return { workflows: WORKFLOWS, concurrency: 50, empty, loaded, ratio_vs_empty: ratios(empty, loaded) };
}

/** The loaded figures against the empty ones (below 1: slower with the big tables). */
export function ratios(empty, loaded) {
  return {
    throughput: round(loaded.workflows_per_sec / empty.workflows_per_sec, 2),
    sequential_p50: round(loaded.sequential.p50_ms / empty.sequential.p50_ms, 2),
    sequential_p99: round(loaded.sequential.p99_ms / empty.sequential.p99_ms, 2),
  };
}
