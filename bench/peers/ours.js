// Our subjects for bench/peers, built with the functions of `npm run bench` (bench/run.js,
// bench/distributed.js). Each `open()` resolves to `{ runOne, close }`: `runOne()` starts the
// 3-step no-op workflow (bench/three-steps.js) and resolves when it completed.
import { MemoryStorage } from '@workflow-mastery/core';
import { openDistributed } from '../distributed.js';
import { makeEngine, withDatabase } from '../run.js';

/** MemoryStorage, the in-process runner; completion heard from the engine's event. */
async function openMemory() {
  const { engine, run } = makeEngine(new MemoryStorage());
  await engine.ready;
  return { runOne: run, close: () => engine.close() };
}

/** TypeOrmStorage on PostgreSQL (fresh, prefixed tables, dropped at close), the in-process runner. */
function openPostgres() {
  return new Promise((opened, failed) => {
    const finished = withDatabase('postgres', async (make) => {
      const { engine, run } = makeEngine(make());
      await engine.ready;
      await new Promise((release) =>
        opened({
          runOne: run,
          close: async () => {
            await engine.close();
            release();
            await finished;
          },
        }),
      );
    });
    finished.catch(failed);
  });
}

export const ours = {
  memory: { name: 'ours.memory', label: 'ours (MemoryStorage)', open: openMemory },
  postgres: { name: 'ours.postgres', label: 'ours (TypeOrmStorage, PostgreSQL)', open: openPostgres },
  bullmqInProcess: { name: 'ours.bullmq_postgres.in_process', label: 'ours (BullMQ + PostgreSQL, one process)', open: () => openDistributed({ inProcess: true }) },
  bullmqWorker: { name: 'ours.bullmq_postgres.worker_process', label: 'ours (BullMQ + PostgreSQL, worker process)', open: () => openDistributed({ workers: 1 }) },
};
