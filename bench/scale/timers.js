// Case 3 (PostgreSQL): N_TIMERS durable timers due within one minute, fired by an engine process
// (bench/scale/timer-engine.js); then the history is checked: every timer fired exactly once.
import { startWorkerProcess } from '../closed-loop.js';
import { PG_URL, dropPgTables, progress } from './common.js';

export const TIMER_PREFIX = 'scalet_';

export async function measureTimers() {
  const n = Number(process.env.N_TIMERS ?? 100_000);
  await dropPgTables(TIMER_PREFIX);
  const out = [];
  const { child, ready, exited } = startWorkerProcess('scale/timer-engine.js', { N_TIMERS: String(n), SCALE_TIMER_PREFIX: TIMER_PREFIX, WM_PG_URL: PG_URL });
  ready.catch(() => {}); // it never says "ready": it prints its result and exits
  child.stdout.on('data', (chunk) => out.push(chunk));
  const code = await exited;
  if (code !== 0) throw new Error(`timer engine process exited ${code}`);
  const result = JSON.parse(Buffer.concat(out).toString().trim().split('\n').at(-1));
  progress('checking the history of the timer instances');
  const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
  const storage = new TypeOrmStorage({ type: 'postgres', url: PG_URL, tablePrefix: TIMER_PREFIX });
  await storage.init();
  try {
    const q = (sql) => storage.dataSource.query(sql);
    const [perInstance] = await q(
      `SELECT count(*)::int AS instances, coalesce(sum(c), 0)::int AS events, count(*) FILTER (WHERE c > 1)::int AS twice
         FROM (SELECT instance_id, count(*) AS c FROM ${TIMER_PREFIX}events WHERE type = 'step.failed' AND instance_id LIKE 'timer-%' GROUP BY instance_id) f`,
    );
    const [left] = await q(`SELECT count(*)::int AS n FROM ${TIMER_PREFIX}timers`);
    const [failed] = await q(`SELECT count(*)::int AS n FROM ${TIMER_PREFIX}instances WHERE state = 'FAILED' AND id LIKE 'timer-%'`);
    return { ...result, history: { instances_fired: perInstance.instances, timeout_events: perInstance.events, instances_fired_twice: perInstance.twice, timers_left: left.n, instances_failed_by_timeout: failed.n } };
  } finally {
    await storage.close();
  }
}
