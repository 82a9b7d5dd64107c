// The measurement of the distributed cases: `concurrency` loops, each runs one workflow (start it,
// wait until it is done) after another; `warmup` runs first (connections, JIT), then `total`
// measured: throughput over the run and end-to-end latency per workflow. And their worker processes.
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Starts `node <nodeArgs> bench/<script>` with `env` added to this process's: `ready` resolves when
 * it prints "ready" (rejects if it exits first), `exited` with its exit code (or signal).
 */
export function startWorkerProcess(script, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, path.join(import.meta.dirname, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => c.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`bench worker ${script} exited ${code}`)));
  });
  return { child, ready, exited: new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal))) };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** `runOne()` starts one workflow and resolves when it is done. */
export async function closedLoop({ concurrency, total, warmup = 200, runOne, afterWarmup }) {
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
  afterWarmup?.();
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
