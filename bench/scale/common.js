// Shared parts of the big-table benchmarks (bench/scale.js): output, phases, storages, engines.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeEngine as makeBenchEngine } from '../run.js';

export const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const round = (x, digits = 3) => Number(x.toFixed(digits));
export const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
export const progress = (msg) => process.stderr.write(`… ${msg}\n`);
export const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Runs `fn`, printing its elapsed time on stderr; returns its result. */
export async function phase(name, fn) {
  const t = performance.now();
  progress(`${name}…`);
  const result = await fn();
  progress(`${name}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return result;
}

/**
 * bench/run.js's engine running the 3-step no-op workflow, with the background purge off (the purge
 * case calls `engine.purge()` itself); `runOne()` starts one and resolves when it completed.
 */
export function makeEngine(storage, extra = {}) {
  const { engine, run } = makeBenchEngine(storage, undefined, { purge: false, ...extra });
  return { engine, runOne: run };
}

/** Drops every table whose name starts with `prefix` in the PostgreSQL database. */
export async function dropPgTables(prefix) {
  const { DataSource } = await import('typeorm');
  const ds = new DataSource({ type: 'postgres', url: PG_URL });
  await ds.initialize();
  try {
    const rows = await ds.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1`, [`${prefix.replace(/_/g, '\\_')}%`]);
    for (const { name } of rows) await ds.query(`DROP TABLE IF EXISTS "${name}" CASCADE`);
    return rows.length;
  } finally {
    await ds.destroy();
  }
}

/**
 * The storages of the big-table cases. `open(prefix)` returns `make()` (a new TypeOrmStorage on the
 * same tables: an engine closes its storage), `admin` (one kept open for loading and checks, with
 * `query(sql)`) and `cleanup()`. PostgreSQL: the `test` database, tables `<prefix>*` dropped first,
 * so every run starts empty (and kept afterwards, to look at). SQLite: a temporary file, removed.
 */
export const storages = {
  postgres: {
    async open(prefix) {
      const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
      const dropped = await dropPgTables(prefix);
      if (dropped > 0) progress(`dropped ${dropped} tables ${prefix}* of an earlier run`);
      const db = await opened(() => new TypeOrmStorage({ type: 'postgres', url: PG_URL, tablePrefix: prefix }), async () => {});
      db.analyze = async () => {
        const tables = await db.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE '${prefix.replace(/_/g, '\\_')}%'`);
        for (const { name } of tables) await db.query(`ANALYZE "${name}"`);
      };
      return db;
    },
  },
  sqlite: {
    async open(prefix) {
      const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'wm-scale-'));
      const file = path.join(dir, 'scale.sqlite');
      return opened(() => new TypeOrmStorage({ type: 'better-sqlite3', database: file, tablePrefix: prefix }), () => rm(dir, { recursive: true, force: true }));
    },
  },
};

async function opened(make, removeFiles) {
  const admin = make();
  await admin.init();
  const query = (sql) => admin.dataSource.query(sql);
  return { make, admin, query, cleanup: async () => (await admin.close(), await removeFiles()) };
}
