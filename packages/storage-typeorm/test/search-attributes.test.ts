/**
 * Search attributes and business keys beyond the conformance suite: attributes changed by another
 * engine stay searchable, and values too long for their columns are refused before any write.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { makeCreate, nextCommit } from '@workflow-mastery/core/testing';
import { uniquePrefix } from './support/databases.js';
import { availableTargets, closeStorages, openStorage } from './support/targets.js';

const targets = await availableTargets();
afterEach(closeStorages);
afterAll(async () => {
  for (const target of targets) await target.cleanup();
});

describe.each(targets.map((t) => [t.name, t] as const))('search attributes on %s', (_name, target) => {
  it('follow commits of two engines, each committing versions the other wrote', async () => {
    const prefix = uniquePrefix('attr');
    const a = openStorage(target, prefix);
    const b = openStorage(target, prefix);
    const { instance, events } = makeCreate({ attributes: { customer: 'C-1' } });
    await a.createInstance(instance, events);
    const v2 = nextCommit(instance, { attributes: { customer: 'C-2' } });
    await b.commit(v2);
    // a never saw version 2: it rewrites the rows, although its record's attributes did not change.
    const v3 = nextCommit(v2.instance, { attributes: { customer: 'C-2' } });
    await a.commit(v3);
    const ids = async (customer: string) => (await a.listInstances({ attributes: { customer } })).items.map((r) => r.id);
    expect(await ids('C-2')).toEqual([instance.id]);
    expect(await ids('C-1')).toEqual([]);
    // And a commit of a version it wrote itself, dropping the attributes.
    await a.commit(nextCommit(v3.instance, { attributes: undefined }));
    expect(await ids('C-2')).toEqual([]);
  });

  it('refuses a business key or attribute over 255 characters, naming it, with nothing written', async () => {
    const storage = openStorage(target, uniquePrefix('attr'));
    const long = 'x'.repeat(256);
    for (const [overrides, named] of [
      [{ businessKey: long }, 'Business key'],
      [{ attributes: { [long]: '1' } }, 'Search attribute name'],
      [{ attributes: { customer: long } }, 'Search attribute "customer"'],
    ] as const) {
      const { instance, events } = makeCreate(overrides);
      const error = await storage.createInstance(instance, events).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'WF_INPUT_INVALID' });
      expect((error as Error).message).toContain(named);
      expect(await storage.getInstance(instance.id)).toBeUndefined();
    }
  });
});
