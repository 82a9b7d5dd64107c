/** The definitions table as operators and other tools see it, and what it refuses or reports. */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { StorageCorruptError, type StoredDefinition } from '@workflow-mastery/core';
import { makeStoredDefinition } from '@workflow-mastery/core/testing';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

describe.each(targets.map((t) => [t.name, t] as const))('definitions table on %s', (_name, target) => {
  it('holds one row per version: the canonical JSON source readable with plain SQL', async () => {
    const prefix = uniquePrefix('defs');
    const storage = openStorage(target, prefix);
    const def = makeStoredDefinition('order', '1.0', ['validate', 'charge']);
    await storage.saveDefinition(def);
    await storage.saveDefinition(makeStoredDefinition('order', '1.0', ['other']));
    const q = target.quote;
    const rows = (await storage.dataSource.query(
      `SELECT ${q('name')} AS name, ${q('version')} AS version, ${q('hash')} AS hash, ${q('source')} AS source, ${q('stored_at')} AS stored_at FROM ${q(`${prefix}definitions`)}`,
    )) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect({ ...rows[0], stored_at: Number(rows[0]!.stored_at) }).toEqual({
      name: 'order',
      version: '1.0',
      hash: def.hash,
      source: def.source,
      stored_at: def.storedAt,
    });
    expect(JSON.parse(String(rows[0]!.source))).toMatchObject({ name: 'order', version: '1.0' });
    await storage.close();
  });

  it('refuses a name or version longer than 255 characters and a fractional storedAt, naming the field', async () => {
    const storage = openStorage(target, uniquePrefix('defs'));
    const good = makeStoredDefinition('n', '1');
    const cases: Array<[string, StoredDefinition]> = [
      ['name', { ...good, name: 'x'.repeat(256) }],
      ['version', { ...good, version: '9'.repeat(256) }],
      ['storedAt', { ...good, storedAt: good.storedAt + 0.5 }],
    ];
    for (const [field, def] of cases) {
      const error = await storage.saveDefinition(def).then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'WF_INPUT_INVALID', details: { field } });
      expect((error as Error).message).toContain(field === 'storedAt' ? 'storedAt' : `Definition ${field}`);
    }
    expect(await storage.listDefinitions()).toEqual([]);
    expect(await storage.saveDefinition({ ...good, name: 'x'.repeat(255) })).toMatchObject({ name: 'x'.repeat(255) });
    await storage.close();
  });

  it('reports a row edited into something that is not a stored definition, naming the table and version', async () => {
    const prefix = uniquePrefix('defs');
    const storage = openStorage(target, prefix);
    await storage.saveDefinition(makeStoredDefinition('order', '7'));
    const q = target.quote;
    await storage.dataSource.query(`UPDATE ${q(`${prefix}definitions`)} SET ${q('hash')} = ${target.param(1)}`, ['not-a-hash']);
    const error = await storage.getDefinition('order', '7').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as Error).message).toContain(`table ${prefix}definitions, name "order", version "7"`);
    await storage.close();
  });
});
