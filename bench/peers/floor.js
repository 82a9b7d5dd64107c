// The floor (what one durable commit costs here): a bare single-row INSERT, autocommitted, through
// node-postgres on a throwaway table; sequential latency, and commits/s from a pg.Pool of 50.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';

// The bench's own pg (bench/package.json), not the copy DBOS brought into bench/peers.
const requireFromBench = createRequire(path.join(import.meta.dirname, '..', 'package.json'));
const pg = requireFromBench('pg');
const PG_URL = process.env.WM_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function openFloor() {
  const table = `wm_floor_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: PG_URL, max: 50 });
  await pool.query(`CREATE TABLE "${table}" (id bigserial PRIMARY KEY, payload text NOT NULL)`);
  const insert = { name: `floor-${table}`, text: `INSERT INTO "${table}" (payload) VALUES ($1)`, values: ['x'] };
  return {
    runOne: () => pool.query(insert),
    close: async () => {
      await pool.query(`DROP TABLE IF EXISTS "${table}"`);
      await pool.end();
    },
  };
}

export const floor = { name: 'floor.pg_insert', label: 'floor: single-row INSERT commit (pg)', version: () => requireFromBench('pg/package.json').version, open: openFloor };
