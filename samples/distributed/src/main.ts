/**
 * `npm run distributed`: one API process and N BullMQ worker processes (`--workers`, default 3)
 * on PostgreSQL + Redis; places `--orders` orders (default 200) through the HTTP API, shows
 * progress, checks every instance ended as expected, and stops everything with SIGTERM.
 * DATABASE_URL and REDIS_URL point elsewhere than the local defaults.
 */
import { randomUUID } from 'node:crypto';
import { configFromEnv } from './config.js';
import { planOrders } from './orders.js';
import { startProcess, type SampleProcess } from './processes.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

async function main(): Promise<number> {
  const workers = arg('--workers', 3);
  const count = arg('--orders', 200);
  const config = configFromEnv();
  const run = `R${randomUUID().slice(0, 6)}`;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`distributed order processing: ${workers} workers, ${count} orders, state in ${config.databaseUrl.replace(/:[^:@/]*@/, ':***@')}, queue "${config.queue}" on ${config.redisUrl}`);

  const api = startProcess('api', { PORT: '0' });
  const [, url] = await api.waitFor(/api listening on (\S+)/);
  const procs: SampleProcess[] = [];
  for (let i = 0; i < workers; i++) procs.push(startProcess('worker', {}));
  await Promise.all(procs.map((p) => p.waitFor(/ready/)));
  say(`api ${url}/api (pid ${api.pid}); workers ${procs.map((p) => p.pid).join(', ')}`);

  const started = Date.now();
  const plan = planOrders(count, run);
  const ids: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(50, count) }, async () => {
      while (next < count) {
        const i = next++;
        const res = await fetch(`${url}/api/workflows/order_processing/instances`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ data: { order: plan[i]!.order }, idempotencyKey: `order-${plan[i]!.order.id}` }),
        });
        if (!res.ok) throw new Error(`starting order ${plan[i]!.order.id}: HTTP ${res.status} ${await res.text()}`);
        ids[i] = ((await res.json()) as { id: string }).id;
      }
    }),
  );
  say(`placed ${count} orders in ${Date.now() - started} ms`);

  const states = new Map<string, string>();
  while (states.size < count) {
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < count; i++) {
      if (states.has(ids[i]!)) continue;
      const res = await fetch(`${url}/api/instances/${ids[i]}`);
      const inst = (await res.json()) as { state: string };
      if (['COMPLETED', 'FAILED', 'CANCELLED'].includes(inst.state)) states.set(ids[i]!, inst.state);
    }
    const perWorker = procs.map((p) => /progress (\d+)\n(?![\s\S]*progress)/.exec(p.output())?.[1] ?? '0').join('/');
    say(`  ${states.size}/${count} finished  (steps per worker: ${perWorker})`);
    if (Date.now() - started > 300_000) throw new Error('orders did not finish within 5 minutes');
  }
  const seconds = (Date.now() - started) / 1000;
  const wrong = plan.filter((p, i) => states.get(ids[i]!) !== p.expected);
  const tally = [...states.values()].reduce<Record<string, number>>((t, s) => ((t[s] = (t[s] ?? 0) + 1), t), {});
  say(`done in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} orders/s): ${Object.entries(tally).map(([s, n]) => `${n} ${s}`).join(', ')}`);
  if (wrong.length) say(`${wrong.length} orders ended otherwise than expected, e.g. ${wrong[0]!.order.id}`);

  for (const p of [...procs, api]) p.child.kill('SIGTERM');
  await Promise.all([...procs, api].map((p) => p.exited));
  say('stopped the API and the workers');
  return wrong.length === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`distributed: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
