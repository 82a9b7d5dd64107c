import pg from 'pg';
import { ActionResult, WorkflowEngine, silentLogger } from '@workflow-mastery/core';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import { threeSteps } from './three-steps.js';
const times = new Map();
const orig = pg.Pool.prototype.query;
pg.Pool.prototype.query = function (cfg, ...rest) {
  const t = performance.now();
  const name = typeof cfg === 'object' ? (cfg.name ?? cfg.text?.slice(0, 40)) : String(cfg).slice(0, 40);
  const p = orig.call(this, cfg, ...rest);
  if (p && p.then) p.then(() => { const a = times.get(name) ?? []; a.push(performance.now() - t); times.set(name, a); }, () => {});
  return p;
};
const storage = new TypeOrmStorage({ type: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', tablePrefix: 'wmtmp_', extra: process.env.PGOPT ? { options: process.env.PGOPT } : undefined });
const engine = new WorkflowEngine({ storage, logger: silentLogger, recover: false });
engine.registerAction('noop', () => ActionResult.success());
engine.registerDefinition(threeSteps);
const waiters = new Map();
engine.on('workflow.completed', (e) => { waiters.get(e.instanceId)?.(); });
await engine.ready;
const run = async () => { const id = crypto.randomUUID(); const done = new Promise((r) => waiters.set(id, r)); await engine.start('bench_noop', {}, { instanceId: id }); await done; };
for (let i = 0; i < 50; i++) await run();
times.clear();
const all = [];
for (let i = 0; i < 300; i++) { const t = performance.now(); await run(); all.push(performance.now() - t); }
all.sort((a, b) => a - b);
console.log('p50', all[150].toFixed(2));
for (const [k, a] of times) { a.sort((x, y) => x - y); console.log(k, a.length, 'p50', a[a.length >> 1].toFixed(3)); }
await engine.close();
