/**
 * PostgreSQL connections killed under the storage (`pg_terminate_backend`, as a failover or a DBA
 * would): the operation in flight rejects with the driver's error (not a WorkflowError, so the
 * engine retries it), nothing of it is written, and the pool reconnects for the next operations.
 */
import { afterAll, afterEach, expect, it } from '@jest/globals';
import { WorkflowError } from '@workflow-mastery/core';
import { makeCreate, nextCommit } from '@workflow-mastery/core/testing';
import pg from 'pg';
import type { TypeOrmStorage } from '../src/index.js';
import { adminConnection, describeIf, dropTables, PG_URL, serverAvailable, serverStorage, uniquePrefix } from './support/databases.js';

const available = await serverAvailable('postgres');
const prefix = uniquePrefix('kill');
const app = `wm-test-${prefix}`;
let storage: TypeOrmStorage | undefined;

afterEach(async () => {
  await storage?.close();
});
afterAll(async () => {
  if (!available) return;
  const admin = await adminConnection('postgres');
  await dropTables(admin, 'postgres', prefix);
  await admin.close();
});

/** Terminates every connection of this suite's storage; returns how many. */
async function killConnections(): Promise<number> {
  const admin = await adminConnection('postgres');
  try {
    const rows = await admin.query(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
      [app],
    );
    return rows.filter((r) => r.killed === true).length;
  } finally {
    await admin.close();
  }
}

/** Retries like the engine's `record()`: a few attempts with a short backoff. */
async function withRetries<T>(fn: () => Promise<T>, failures: unknown[]): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      failures.push(error);
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
    }
  }
}

describeIf(available)('postgres connection loss', () => {
  it('rejects the commit in flight, writes nothing of it, and works again on new connections', async () => {
    storage = serverStorage('postgres', prefix, { applicationName: app });
    const { instance, events } = makeCreate({ state: 'RUNNING' });
    await storage.createInstance(instance, events);

    // Hold the instance's row so that the next commit waits inside its transaction...
    const holder = new pg.Client({ connectionString: PG_URL, application_name: 'wm-test-holder' });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM "${prefix}instances" WHERE id = $1 FOR UPDATE`, [instance.id]);
    const pending = storage.commit(nextCommit(instance, { data: { lost: true } }));
    const admin = await adminConnection('postgres');
    for (let i = 0; i < 100; i++) {
      const waiting = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [app]);
      if (waiting.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.close();
    // ...and kill it there.
    expect(await killConnections()).toBeGreaterThan(0);
    const error = await pending.then(() => undefined, (e: unknown) => e);
    await holder.query('ROLLBACK');
    await holder.end();
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WorkflowError); // a storage fault: the engine retries it
    expect(String((error as Error).message)).toMatch(/terminat|Connection|closed/i);

    const failures: unknown[] = [];
    const stored = await withRetries(() => storage!.getInstance(instance.id), failures);
    expect(stored?.version).toBe(1); // nothing of the killed commit
    expect(stored?.data).toEqual({});
    await withRetries(() => storage!.commit(nextCommit(instance, { data: { after: true } })), failures);
    expect((await storage.getInstance(instance.id))?.data).toEqual({ after: true });
    expect(failures.every((f) => !(f instanceof WorkflowError))).toBe(true);
  });

  it('recovers after every idle connection of the pool was killed', async () => {
    storage = serverStorage('postgres', prefix, { applicationName: app });
    const { instance, events } = makeCreate();
    await storage.createInstance(instance, events);
    await Promise.all([storage.getInstance(instance.id), storage.getHistory(instance.id), storage.listInstances()]); // several pooled connections
    expect(await killConnections()).toBeGreaterThan(0);

    const failures: unknown[] = [];
    let current = instance;
    for (let n = 0; n < 5; n++) {
      const commit = nextCommit(current, { data: { n } });
      await withRetries(() => storage!.commit(commit), failures);
      current = commit.instance;
    }
    expect((await storage.getInstance(instance.id))?.version).toBe(6);
    expect((await storage.getHistory(instance.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(failures.length).toBeLessThanOrEqual(2);
  });
});
