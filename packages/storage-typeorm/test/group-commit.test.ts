/** commitMany: one transaction for the batch, each commit swapped on its own; a database error rolls back all. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { ConcurrencyError, ErrorCode, WorkflowError, type InstanceRecord } from '@workflow-mastery/core';
import { makeCreate, makeInstance, makeStep, nextCommit } from '@workflow-mastery/core/testing';
import type { TypeOrmStorage } from '../src/index.js';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

const NOW = 1_800_000_000_000;

async function create(storage: TypeOrmStorage, overrides: Partial<InstanceRecord> = {}): Promise<InstanceRecord> {
  const { instance, events } = makeCreate(overrides);
  await storage.createInstance(instance, events);
  return instance;
}

describe.each(targets.map((t) => [t.name, t] as const))('group commit on %s', (_name, target) => {
  it('keeps writing, alone and in batches, past the point where its statements are prepared anew (512 rows)', async () => {
    const storage = openStorage(target, uniquePrefix('grp'));
    const created: InstanceRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const { instance, events } = makeCreate();
      const { creates } = await storage.writeBatch!({ creates: [{ instance, events }], commits: [] });
      expect(creates[0]).toMatchObject({ created: true });
      created.push(instance);
    }
    const batch = Array.from({ length: 300 }, () => makeCreate());
    const { creates } = await storage.writeBatch!({ creates: batch.map(({ instance, events }) => ({ instance, events })), commits: [] });
    expect(creates.every((c) => !(c instanceof Error) && c?.created)).toBe(true);
    created.push(...batch.map((b) => b.instance));
    // Past 512 rows: one commit at a time, then all together.
    for (const instance of created.slice(0, 50)) expect(await storage.commitMany([nextCommit(instance)])).toEqual([undefined]);
    const rest = await storage.commitMany(created.slice(50).map((instance) => nextCommit(instance)));
    expect(rest.every((r) => r === undefined)).toBe(true);
    const versions = await Promise.all(created.map(async (i) => (await storage.getInstance(i.id))?.version));
    expect(new Set(versions)).toEqual(new Set([2]));
  });

  it('writes a mixed batch in one transaction; each commit succeeds or fails on its own', async () => {
    const prefix = uniquePrefix('grp');
    const storage = openStorage(target, prefix);
    const a = await create(storage, { state: 'RUNNING', steps: { x: makeStep() } });
    const [b, c, d] = [await create(storage), await create(storage), await create(storage)];
    const malformed = nextCommit(d);
    malformed.events[0]!.seq = 7;
    const winner = nextCommit(a, { steps: { x: makeStep({ status: 'COMPLETED' }), y: makeStep() } });
    winner.lease = { owner: 'me', until: NOW + 1_000 };

    const before = storage.stats.transactions;
    const results = await storage.commitMany([
      winner,
      { ...nextCommit(b), expectedVersion: 9 },
      nextCommit(c, { state: 'WAITING' }, 2),
      nextCommit(makeInstance()),
      malformed,
    ]);
    expect(storage.stats.transactions).toBe(before + 1);
    expect(results[0]).toBeUndefined();
    expect(results[1]).toBeInstanceOf(ConcurrencyError);
    expect(results[1]).toMatchObject({ expectedVersion: 9, actualVersion: 1 });
    expect(results[2]).toBeUndefined();
    expect(results[3]).toBeInstanceOf(ConcurrencyError);
    // A malformed commit is the caller's bug, not a storage fault: its own code, nothing written.
    expect(results[4]).toBeInstanceOf(WorkflowError);
    expect(results[4]).toMatchObject({ code: ErrorCode.CommitInvalid });
    expect((await storage.getInstance(a.id))?.version).toBe(2);
    expect((await storage.getInstance(b.id))?.version).toBe(1);
    expect((await storage.getHistory(c.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect((await storage.getInstance(d.id))?.version).toBe(1);
    // The winner's new work is leased to the committer; its completed step is no longer work.
    expect(await storage.claimWork({ owner: 'other', until: NOW + 5_000 }, NOW, 10)).toEqual([]);
    expect(await storage.claimWork({ owner: 'other', until: NOW + 5_000 }, NOW + 1_001, 10)).toEqual([
      { kind: 'step', instanceId: a.id, stepId: 'y', attempt: 1 },
    ]);
    if (target.name === 'postgres') {
      // Same transaction id on both winners' rows.
      const rows = (await storage.dataSource.query(`SELECT xmin::text AS tx FROM "${prefix}instances" WHERE id IN ($1, $2)`, [a.id, c.id])) as Array<{ tx: string }>;
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
    }
  });

  it('lets the engine write two batches at once on a database server, one on SQLite', async () => {
    const storage = openStorage(target, uniquePrefix('grp'));
    expect(storage.groupCommitWriters).toBe(target.name === 'sqlite' ? 1 : 2);
    // Two concurrent batches of distinct instances both land.
    await storage.init();
    const instances = await Promise.all(Array.from({ length: 6 }, () => create(storage)));
    const results = await Promise.all([storage.commitMany(instances.slice(0, 3).map((i) => nextCommit(i))), storage.commitMany(instances.slice(3).map((i) => nextCommit(i)))]);
    expect(results.flat()).toEqual(new Array(6).fill(undefined));
    for (const instance of instances) expect((await storage.getInstance(instance.id))?.version).toBe(2);
  });

  it('counts one transaction per commit() and per create', async () => {
    const storage = openStorage(target, uniquePrefix('grp'));
    await storage.init();
    const before = storage.stats.transactions;
    const a = await create(storage);
    await storage.commit(nextCommit(a));
    expect(storage.stats.transactions).toBe(before + 2);
  });

  it('rolls the whole batch back when the database fails in the middle', async () => {
    const prefix = uniquePrefix('grp');
    const storage = openStorage(target, prefix);
    const [a, c] = [await create(storage), await create(storage)];
    // A stray event row where c's next event goes: the batch's INSERT of events fails.
    const q = target.quote;
    const p = target.param;
    await storage.dataSource.query(
      `INSERT INTO ${q(`${prefix}events`)} (${q('instance_id')}, ${q('seq')}, ${q('type')}, ${q('at')}) VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
      [c.id, 2, 'step.completed', 0],
    );
    await expect(storage.commitMany([nextCommit(a, { state: 'RUNNING' }), nextCommit(c, { state: 'RUNNING' })])).rejects.toThrow();
    expect((await storage.getInstance(a.id))?.version).toBe(1);
    expect((await storage.getInstance(c.id))?.version).toBe(1);
    expect((await storage.getHistory(a.id)).map((e) => e.seq)).toEqual([1]);
  });
});
