/**
 * SQLite WAL checkpoints: by default a worker thread copies the WAL into the database file shortly
 * after writes (the engine's thread never does); `inline` leaves it to SQLite's automatic
 * checkpoint. `sqliteSynchronous` sets the connection's durability.
 */
import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@workflow-mastery/core';
import { makeCreate } from '@workflow-mastery/core/testing';
import { TypeOrmStorage } from '../src/index.js';
import { sqliteDatabaseOf } from '../src/raw-sql.js';
import { SqliteFiles } from './support/sqlite-files.js';

const files = new SqliteFiles();
afterAll(() => files.remove());

/** 300 instances of ~4 KB each in 3 transactions: about 1.2 MB, under SQLite's automatic checkpoint (1000 pages). */
async function writeSome(storage: TypeOrmStorage): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const creates = Array.from({ length: 100 }, () => makeCreate({ data: { blob: 'x'.repeat(4000) } }));
    const { creates: results } = await storage.writeBatch({ creates, commits: [] });
    expect(results.every((r) => !(r instanceof Error))).toBe(true);
  }
}

async function until(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

const pragma = (storage: TypeOrmStorage, name: string): unknown =>
  (sqliteDatabaseOf(storage.dataSource) as unknown as { pragma(s: string, o: { simple: true }): unknown }).pragma(name, { simple: true });

describe('SQLite checkpoints', () => {
  it('copies the WAL into the database file from a worker thread shortly after writes', async () => {
    const file = files.next();
    const storage = new TypeOrmStorage({ type: 'better-sqlite3', database: file });
    await storage.init();
    const before = statSync(file).size;
    await writeSome(storage);
    // The engine's connection checkpoints only as a fallback, at 10,000 pages.
    expect(pragma(storage, 'wal_autocheckpoint')).toBe(10_000);
    expect(await until(() => statSync(file).size > before + 1_000_000)).toBe(true);
    // Nothing is lost: a new connection reads everything.
    await storage.close();
    const again = new TypeOrmStorage({ type: 'better-sqlite3', database: file });
    expect((await again.listInstances({ limit: 500 })).items).toHaveLength(300);
    await again.close();
  });

  it('inline: SQLite checkpoints inside the commits, only once the WAL holds 1000 pages', async () => {
    const file = files.next();
    const storage = new TypeOrmStorage({ type: 'better-sqlite3', database: file, sqliteCheckpoints: 'inline' });
    await storage.init();
    const before = statSync(file).size;
    await writeSome(storage);
    expect(pragma(storage, 'wal_autocheckpoint')).toBe(1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statSync(file).size).toBe(before);
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    await storage.close();
  });

  it('two storages on one file share the worker; the file stays usable after both close', async () => {
    const file = files.next();
    const a = new TypeOrmStorage({ type: 'better-sqlite3', database: file, tablePrefix: 'a_' });
    const b = new TypeOrmStorage({ type: 'better-sqlite3', database: file, tablePrefix: 'b_' });
    await Promise.all([a.init(), b.init()]);
    await Promise.all([writeSome(a), writeSome(b)]);
    await a.close();
    const { instance, events } = makeCreate();
    await b.createInstance(instance, events);
    await b.close();
    const c = new TypeOrmStorage({ type: 'better-sqlite3', database: file, tablePrefix: 'b_' });
    expect((await c.listInstances({ limit: 500 })).items).toHaveLength(301);
    await c.close();
  });

  it('sets synchronous when asked, and names the option when its value is wrong', async () => {
    const storage = new TypeOrmStorage({ type: 'better-sqlite3', database: files.next(), sqliteSynchronous: 'full' });
    await storage.init();
    expect(pragma(storage, 'synchronous')).toBe(2);
    await storage.close();
    const normal = new TypeOrmStorage({ type: 'better-sqlite3', database: files.next() });
    await normal.init();
    expect(pragma(normal, 'synchronous')).toBe(1);
    await normal.close();
    expect(() => new TypeOrmStorage({ type: 'better-sqlite3', sqliteSynchronous: 'off' as 'full' })).toThrow(
      expect.objectContaining({ code: ErrorCode.InputInvalid, message: 'sqliteSynchronous must be "normal" or "full"; got "off".' }),
    );
    expect(() => new TypeOrmStorage({ type: 'better-sqlite3', sqliteCheckpoints: 'never' as 'inline' })).toThrow('sqliteCheckpoints must be "background" or "inline"; got "never".');
  });

  it('an in-memory database has nothing to checkpoint', async () => {
    const storage = new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:' });
    await storage.init();
    const { instance, events } = makeCreate();
    await storage.createInstance(instance, events);
    expect(await storage.getInstance(instance.id)).toBeDefined();
    await storage.close();
  });
});
