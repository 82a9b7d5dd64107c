/** A row that cannot be read back (edited by hand, written by another tool) is reported, never returned. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { StorageCorruptError } from '@workflow-mastery/core';
import { makeCreate } from '@workflow-mastery/core/testing';
import type { TypeOrmStorage } from '../src/index.js';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

describe.each(targets.map((t) => [t.name, t] as const))('corrupted rows on %s', (_name, target) => {
  async function setColumn(storage: TypeOrmStorage, table: string, column: string, value: string, idColumn: string, id: string): Promise<void> {
    const q = target.quote;
    await storage.dataSource.query(`UPDATE ${q(table)} SET ${q(column)} = ${target.param(1)} WHERE ${q(idColumn)} = ${target.param(2)}`, [value, id]);
  }

  async function seed(): Promise<{ storage: TypeOrmStorage; prefix: string; id: string }> {
    const prefix = uniquePrefix('bad');
    const storage = openStorage(target, prefix);
    const { instance, events } = makeCreate({ state: 'RUNNING' }, 2);
    events[1]!.data = { fine: true };
    await storage.createInstance(instance, events, 'k');
    return { storage, prefix, id: instance.id };
  }

  it('reports a record that is not JSON, naming the table and the id', async () => {
    const { storage, prefix, id } = await seed();
    await setColumn(storage, `${prefix}instances`, 'record', '{"id": "truncated', 'id', id);
    for (const read of [() => storage.getInstance(id), () => storage.findByIdempotencyKey('k'), () => storage.listInstances()]) {
      const error = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StorageCorruptError);
      expect(error).toMatchObject({ code: 'WF_STORAGE_CORRUPT' });
      expect((error as Error).message).toContain(`${prefix}instances`);
      expect((error as Error).message).toContain(id);
      expect((error as Error).message).toContain('not valid JSON');
    }
    await storage.close();
  });

  it('reports a record missing required fields, saying which', async () => {
    const { storage, prefix, id } = await seed();
    await setColumn(storage, `${prefix}instances`, 'record', JSON.stringify({ id, definitionName: 'x', definitionVersion: '1', state: 'RUNNING' }), 'id', id);
    await expect(storage.getInstance(id)).rejects.toThrow(/lacks the number field "seq".*instances/);
    await setColumn(storage, `${prefix}instances`, 'record', JSON.stringify({ id: 'someone-else' }), 'id', id);
    await expect(storage.getInstance(id)).rejects.toThrow(/has id "someone-else", not the row's id/);
    await setColumn(storage, `${prefix}instances`, 'record', '[1, 2]', 'id', id);
    await expect(storage.getInstance(id)).rejects.toThrow(/is not a JSON object/);
    await storage.close();
  });

  it('reports event data that is not JSON, naming the instance and seq', async () => {
    const { storage, prefix, id } = await seed();
    const q = target.quote;
    await storage.dataSource.query(
      `UPDATE ${q(`${prefix}events`)} SET ${q('data')} = ${target.param(1)} WHERE ${q('instance_id')} = ${target.param(2)} AND ${q('seq')} = 2`,
      ['not json', id],
    );
    await expect(storage.getHistory(id)).rejects.toThrow(new RegExp(`event 2 of instance ${id} is not valid JSON.*${prefix}events`));
    await storage.close();
  });
});
