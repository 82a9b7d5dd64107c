// The engine process of the timer case (started by bench/scale/timers.js): arms N_TIMERS durable
// timers that come due within one TIMER_SPREAD_MS window, waits until all fired, prints one JSON
// line on stdout. Each instance's step waits on a signal that never comes, with a timeout ending at
// its `dueAt`: the timeout (a `wait_timeout` timer) fails the step, and so the instance.
import { ActionResult, WorkflowEngine, silentLogger } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';

const N = Number(process.env.N_TIMERS);
const SPREAD = Number(process.env.TIMER_SPREAD_MS ?? 60_000);
const progress = (msg) => process.stderr.write(`… [engine] ${msg}\n`);
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

let rssPeak = process.memoryUsage.rss();
setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100).unref();

const storage = new TypeOrmStorage({ type: 'postgres', url: process.env.WM_PG_URL, tablePrefix: process.env.SCALE_TIMER_PREFIX });
const engine = new WorkflowEngine({ storage, logger: silentLogger, recover: false, ...(typeof WorkflowEngine.prototype.purge === 'function' ? { purge: false } : {}) });
let armedLate = 0;
engine.registerAction('hold', () => ActionResult.wait({ signal: 'never' }));
engine.registerAction('arm', (ctx) => {
  const left = ctx.data.dueAt - Date.now();
  if (left <= 0) armedLate++;
  return ActionResult.wait({ signal: 'never', timeout: Math.max(1, left) });
});
engine.registerDefinition({ name: 'scale_hold', version: '1', steps: { h: { action: 'hold' } } });
engine.registerDefinition({ name: 'scale_timer', version: '1', steps: { t: { action: 'arm' } } });

const dueAt = new Float64Array(N);
const firedAt = new Float64Array(N);
const fires = new Uint8Array(N);
let fired = 0;
const index = (id) => (id.startsWith('timer-') ? Number(id.slice(6)) : -1);
const waiting = new Map();
engine.on('step.waiting', (e) => {
  waiting.get(e.instanceId)?.();
  waiting.delete(e.instanceId);
});
engine.on('step.failed', (e) => {
  const i = index(e.instanceId);
  if (i < 0) return;
  if (fires[i]++ === 0) {
    firedAt[i] = Date.now();
    fired++;
  }
});

/** Starts `count` instances, 50 at a time, each until its step waits. Returns instances/s. */
async function startAll(count, start) {
  let next = 0;
  const t0 = performance.now();
  let lastReport = t0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < count) {
        const i = next++;
        const [id, name, data] = start(i);
        const armed = new Promise((resolve) => waiting.set(id, resolve));
        await engine.start(name, data, { instanceId: id });
        await armed;
        if (performance.now() - lastReport > 2_000) {
          lastReport = performance.now();
          progress(`started ${next.toLocaleString('en')} / ${count.toLocaleString('en')} (${Math.round(next / ((lastReport - t0) / 1000))}/s)`);
        }
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

await engine.ready;
// Calibration: how fast instances start and wait here, to put the due window just after the last start.
// Its first 500 warm up (connections, JIT) and are not counted.
await startAll(500, (i) => [`warm-${i}`, 'scale_hold', {}]);
const calibration = Math.min(3_000, Math.max(500, Math.floor(N / 20)));
const rate = await startAll(calibration, (i) => [`hold-${i}`, 'scale_hold', {}]);
const loadMs = (N / rate) * 1.3 * 1000 + 5_000;
const base = Math.round(Date.now() + loadMs);
progress(`${Math.round(rate)} starts/s: ${N.toLocaleString('en')} timers due from ${(loadMs / 1000).toFixed(0)} s from now, over ${SPREAD / 1000} s`);
const t0 = performance.now();
for (let i = 0; i < N; i++) dueAt[i] = base + Math.floor((i * SPREAD) / N);
await startAll(N, (i) => [`timer-${i}`, 'scale_timer', { dueAt: dueAt[i] }]);
const armSeconds = (performance.now() - t0) / 1000;
const lastDue = dueAt[N - 1];
progress(`armed ${N.toLocaleString('en')} timers in ${armSeconds.toFixed(1)} s (${armedLate} armed after their due time); last due in ${((lastDue - Date.now()) / 1000).toFixed(0)} s`);

const giveUp = lastDue + Number(process.env.TIMER_GIVE_UP_MS ?? 600_000);
for (let tick = 0; fired < N && Date.now() < giveUp; tick++) {
  await new Promise((r) => setTimeout(r, 500));
  if (Date.now() > base && tick % 4 === 0) progress(`fired ${fired.toLocaleString('en')} / ${N.toLocaleString('en')}`);
}
await engine.idle();
await new Promise((r) => setTimeout(r, 2_000)); // late double firings (the poller) would land now
const lags = [];
let twice = 0;
let allFired = 0;
for (let i = 0; i < N; i++) {
  allFired = Math.max(allFired, firedAt[i]);
  if (fires[i] > 0) lags.push(firedAt[i] - dueAt[i]);
  if (fires[i] > 1) twice++;
}
lags.sort((a, b) => a - b);
await engine.close();
process.stdout.write(
  `${JSON.stringify({
    timers: N,
    spread_ms: SPREAD,
    start_rate_per_sec: Math.round(rate),
    arm_seconds: Number(armSeconds.toFixed(1)),
    armed_late: armedLate,
    fired,
    fired_twice_events: twice,
    all_fired_after_last_due_s: fired === N ? Number(((allFired - lastDue) / 1000).toFixed(2)) : null,
    lag_p50_ms: Math.round(quantile(lags, 0.5) ?? 0),
    lag_p99_ms: Math.round(quantile(lags, 0.99) ?? 0),
    lag_max_ms: Math.round(lags.at(-1) ?? 0),
    rss_peak_mb: Math.round(rssPeak / 1048576),
  })}\n`,
);
