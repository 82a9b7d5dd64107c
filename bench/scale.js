// Big-table benchmarks: the engine with SCALE_ROWS (default 1,000,000) finished instances in its
// tables. One JSON line per case on stdout, progress and phase times on stderr.
//   npm run bench:scale                 every case
//   node bench/scale.js postgres        only cases whose name contains "postgres"
//   node bench/scale.js sqlite,timers   names containing either
// Env: SCALE_ROWS, N_TIMERS (100,000), SCALE_WORKFLOWS (5,000 per throughput run), SCALE_ROUNDS (3), SCALE_SEQUENTIAL
// (300), SCALE_QUERIES (200 per filter), SCALE_BATCH (2,000 per writeBatch), SCALE_PURGE_BATCH
// (10,000 per engine.purge call), SCALE_PURGE_SECONDS (600: stop the purge after), SCALE_QUERY_SECONDS
// (30 per filter at most), TIMER_SPREAD_MS (60,000), TIMER_GIVE_UP_MS (600,000), WM_PG_URL.
import { emit, phase, progress, storages } from './scale/common.js';
import { measureListQueries } from './scale/list-queries.js';
import { bulkLoadFinished } from './scale/load.js';
import { measurePurge } from './scale/purge.js';
import { measureInterleaved } from './scale/start-step.js';
import { measureTimers } from './scale/timers.js';

const filter = process.argv[2] ?? '';
const ROWS = Number(process.env.SCALE_ROWS ?? 1_000_000);
const PREFIX = 'scale_';
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 3);
const selected = (name) => filter.split(',').some((part) => name.includes(part));

/**
 * The cases of one storage, in order on the same tables: start-and-step on empty tables, the bulk
 * load, start-and-step again (with the ratio), listInstances, then the purge (which empties them).
 */
async function storageCases(kind) {
  const names = ['start_step', 'list_instances', 'purge'].map((c) => `${kind}.${c}`);
  if (!names.some(selected)) return;
  const db = await phase(`${kind}: open (tables ${PREFIX}*)`, () => storages[kind].open(PREFIX));
  try {
    const load = await phase(`${kind}: bulk load of ${ROWS.toLocaleString('en')} finished instances`, () => bulkLoadFinished(db.admin, ROWS, db.analyze));
    emit({ case: `${kind}.bulk_load`, ...load });
    if (selected(names[0])) {
      // Interleaved rounds on the loaded tables and on empty ones (another prefix, same server).
      const emptyDb = await storages[kind].open(`scalempty_`);
      try {
        const result = await phase(`${kind}: start-and-step, ${ROUNDS} rounds each, loaded and empty tables interleaved`, () =>
          measureInterleaved(db.make, emptyDb.make, ROUNDS),
        );
        emit({ case: names[0], rows: ROWS, ...result });
      } finally {
        await emptyDb.cleanup();
      }
    }
    if (selected(names[1])) {
      const queries = await phase(`${kind}: listInstances pages`, () => measureListQueries(db.admin, ROWS));
      emit({ case: names[1], rows: ROWS, page: 50, ...queries });
    }
    if (selected(names[2])) {
      const purge = await phase(`${kind}: purge of ${ROWS.toLocaleString('en')} finished instances, live workflows alongside`, () => measurePurge(db.make, ROWS));
      emit({ case: names[2], rows: ROWS, ...purge });
    }
  } finally {
    await db.cleanup();
  }
}

const t0 = performance.now();
await storageCases('postgres');
await storageCases('sqlite');
if (selected('postgres.timers')) emit({ case: 'postgres.timers', ...(await phase('postgres: durable timers due within one minute', measureTimers)) });
progress(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
