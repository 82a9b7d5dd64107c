// Bulk load of N finished instances, in the storage's own format: pre-built COMPLETED records
// (5 history events each) written with `storage.writeBatch({ creates })` in large batches, and
// a few WAITING ones (0.1 %).
import { progress, round } from './common.js';

export const DEFINITION_NAMES = ['scale_order', 'scale_invoice', 'scale_shipment'];
const DAY = 86_400_000;
const BATCH = Number(process.env.SCALE_BATCH ?? 2_000);
const IN_FLIGHT = 2;

/**
 * Finished instance number `n` of `total`: COMPLETED, created over the last 30 days (in order of
 * `n`), business key `ORD-<n>`, attribute `customer: C-<n % 1000>`, one of 3 definition names,
 * `purgeAfter` in the past (so all of them are purgeable), and its 5 history events.
 */
export function finishedInstance(n, total, now) {
  const id = `scale-${String(n).padStart(8, '0')}-${crypto.randomUUID().slice(0, 8)}`;
  const createdAt = now - 31 * DAY + Math.floor((n * 30 * DAY) / total);
  const completedAt = createdAt + 40;
  const step = (status, at) => ({ status, attempt: 1, run: 1, scheduledAt: at, completedAt: at + 10, completedSeq: 1, output: { ok: true } });
  const instance = {
    id,
    definitionName: DEFINITION_NAMES[n % 3],
    definitionVersion: '1',
    state: 'COMPLETED',
    data: { n, ok: true, customer: `C-${n % 1000}` },
    steps: { a: step('COMPLETED', createdAt), b: { ...step('COMPLETED', createdAt + 10), completedSeq: 2 } },
    timers: [],
    signals: [],
    version: 1,
    seq: 5,
    completions: 2,
    createdAt,
    updatedAt: completedAt,
    completedAt,
    businessKey: `ORD-${n}`,
    attributes: { customer: `C-${n % 1000}` },
    purgeAfter: completedAt + DAY,
  };
  const ev = (seq, type, at, extra = {}) => ({ instanceId: id, seq, type, at, ...extra });
  const events = [
    ev(1, 'workflow.started', createdAt, { data: { input: { n } } }),
    ev(2, 'step.completed', createdAt + 10, { stepId: 'a', attempt: 1, data: { output: { ok: true } } }),
    ev(3, 'step.scheduled', createdAt + 10, { stepId: 'b', attempt: 1 }),
    ev(4, 'step.completed', createdAt + 20, { stepId: 'b', attempt: 1, data: { output: { ok: true } } }),
    ev(5, 'workflow.completed', completedAt),
  ];
  return { instance, events };
}

/** An unfinished instance among the finished ones: WAITING on a signal that never comes. */
export function waitingInstance(n, now) {
  const { instance, events } = finishedInstance(n, 1, now - 31 * DAY);
  const { completedAt, purgeAfter, ...rest } = instance;
  const id = `scale-waiting-${n}-${crypto.randomUUID().slice(0, 8)}`;
  const waiting = { ...rest, id, businessKey: `WAIT-${n}`, state: 'WAITING', seq: 2, completions: 1, createdAt: now - 60_000 + n, updatedAt: now - 60_000 + n };
  waiting.steps = { a: instance.steps.a, b: { status: 'WAITING', attempt: 1, run: 1, scheduledAt: now - 60_000, wait: { signal: 'never' } } };
  return { instance: waiting, events: events.slice(0, 2).map((e) => ({ ...e, instanceId: id })) };
}

/** How many WAITING instances are loaded with `rows` finished ones: 0.1 %, at least 100. */
export const waitingCount = (rows) => Math.max(100, Math.floor(rows / 1000));

/**
 * Writes `total` finished instances through `storage.writeBatch` (batches of SCALE_BATCH, default
 * 2,000; two in flight so the next batch is built while the database writes one). Progress and the
 * rate on stderr; then `analyze()` (PostgreSQL: the planner statistics a table grown over time
 * would have, which autovacuum gets to only a while after a bulk load). Returns
 * `{ rows, seconds, rows_per_sec }` (the load, not the analyze).
 */
export async function bulkLoadFinished(storage, total, analyze) {
  if (typeof storage.writeBatch !== 'function') throw new Error('bulk load needs storage.writeBatch');
  const now = Date.now();
  const t0 = performance.now();
  let next = 0;
  let written = 0;
  let lastReport = t0;
  const writer = async () => {
    while (next < total) {
      const from = next;
      const to = Math.min(total, from + BATCH);
      next = to;
      const creates = [];
      for (let n = from; n < to; n++) creates.push(finishedInstance(n, total, now));
      if (from === 0) for (let n = 0; n < waitingCount(total); n++) creates.push(waitingInstance(n, now));
      const result = await storage.writeBatch({ creates, commits: [] });
      const failed = result.creates.find((r) => r instanceof Error);
      if (failed) throw failed;
      written += to - from;
      const t = performance.now();
      if (t - lastReport > 2_000 || written === total) {
        lastReport = t;
        const s = (t - t0) / 1000;
        progress(`loaded ${written.toLocaleString('en')} / ${total.toLocaleString('en')} finished instances (${Math.round(written / s).toLocaleString('en')}/s, ${s.toFixed(0)} s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, writer));
  const seconds = (performance.now() - t0) / 1000;
  if (analyze) await analyze();
  return { rows: total, waiting: waitingCount(total), events: total * 5, seconds: round(seconds, 1), rows_per_sec: Math.round(total / seconds) };
}
