/** Conformance: the definition store (`saveDefinition`, `getDefinition`, `listDefinitions`). */
import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from '../definition/canonical-definition.js';
import { sha256 } from '../storage/fs-utils.js';
import type { StoredDefinition } from '../storage/storage-adapter.js';
import { describeIf, json, T0, type StorageTestContext } from './storage-conformance-context.js';

/** A stored definition of `name@version` whose steps are `steps` (its content, hashed). */
export function makeStoredDefinition(name: string, version: string, steps: string[] = ['a'], storedAt = T0): StoredDefinition {
  const source = canonicalJson({ name, version, steps: Object.fromEntries(steps.map((id) => [id, { action: id }])) });
  return { name, version, hash: sha256(source), source, storedAt };
}

/** Registers the definition store tests. */
export function describeDefinitions(t: StorageTestContext): void {
  const { reopen, openSecond } = t.options;

  describe('definition store', () => {
    it('stores a version and reads it back exactly; an unknown version is undefined', async () => {
      const def = makeStoredDefinition('order', '1.0', ['validate', 'charge']);
      expect(await t.storage.saveDefinition(def)).toEqual(def);
      expect(await t.storage.getDefinition('order', '1.0')).toEqual(def);
      expect(await t.storage.getDefinition('order', '2.0')).toBeUndefined();
      expect(await t.storage.getDefinition('other', '1.0')).toBeUndefined();
    });

    it('never replaces a stored version: saving it again returns the first, with its hash', async () => {
      const first = makeStoredDefinition('order', '1', ['a', 'b']);
      const changed = makeStoredDefinition('order', '1', ['a', 'c'], T0 + 10);
      await t.storage.saveDefinition(first);
      const stored = await t.storage.saveDefinition(changed);
      expect(stored).toEqual(first);
      expect(stored.hash).not.toBe(changed.hash);
      expect(await t.storage.getDefinition('order', '1')).toEqual(first);
      expect(await t.storage.saveDefinition(json(first))).toEqual(first);
      expect(await t.storage.listDefinitions('order')).toHaveLength(1);
    });

    it('two saves of one version racing store exactly one, and both callers see it', async () => {
      const a = makeStoredDefinition('race', '1', ['a']);
      const b = makeStoredDefinition('race', '1', ['b']);
      const results = await Promise.all([t.storage.saveDefinition(a), t.storage.saveDefinition(b), t.storage.saveDefinition(a)]);
      const winner = await t.storage.getDefinition('race', '1');
      expect([a.hash, b.hash]).toContain(winner!.hash);
      for (const result of results) expect(result).toEqual(winner);
      expect(await t.storage.listDefinitions('race')).toHaveLength(1);
    });

    it('lists summaries (no source) by name, then by when each was stored; by one name when asked', async () => {
      await t.storage.saveDefinition(makeStoredDefinition('zeta', '1', ['a'], T0));
      await t.storage.saveDefinition(makeStoredDefinition('alpha', '2', ['a'], T0 + 20));
      await t.storage.saveDefinition(makeStoredDefinition('alpha', '10', ['a'], T0 + 10));
      await t.storage.saveDefinition(makeStoredDefinition('alpha-x', '1', ['a'], T0));
      const all = await t.storage.listDefinitions();
      expect(all.map((d) => `${d.name}@${d.version}`)).toEqual(['alpha@10', 'alpha@2', 'alpha-x@1', 'zeta@1']);
      expect(Object.keys(all[0]!).sort()).toEqual(['hash', 'name', 'storedAt', 'version']);
      expect((await t.storage.listDefinitions('alpha')).map((d) => d.version)).toEqual(['10', '2']);
      expect(await t.storage.listDefinitions('nothing')).toEqual([]);
    });

    it('keeps a large source with any characters exactly (300 KB, quotes, unicode, NUL escapes)', async () => {
      const steps = Array.from({ length: 4500 }, (_, i) => `step_${i}_ünïcødé_"q"_\u2028_🚀`);
      const def = makeStoredDefinition('big', '1', steps);
      expect(def.source.length).toBeGreaterThan(300_000);
      await t.storage.saveDefinition(def);
      const back = await t.storage.getDefinition('big', '1');
      expect(back!.source).toBe(def.source);
      expect(sha256(back!.source)).toBe(def.hash);
    });

    it('refuses a malformed definition record with WF_INPUT_INVALID naming the field, storing nothing', async () => {
      const good = makeStoredDefinition('bad', '1');
      for (const [field, value] of [['hash', 'not-a-hash'], ['version', ''], ['source', 42], ['name', '']] as const) {
        const error = await t.storage.saveDefinition({ ...good, [field]: value } as StoredDefinition).then(() => undefined, (e: unknown) => e);
        expect(error).toMatchObject({ code: 'WF_INPUT_INVALID' });
        expect(String((error as Error).message)).toContain(field);
      }
      expect(await t.storage.listDefinitions('bad')).toEqual([]);
    });

    describeIf(reopen !== undefined)('durability (with reopen)', () => {
      it('keeps stored definitions across close + reopen, still refusing to replace them', async () => {
        const def = makeStoredDefinition('kept', '3', ['x', 'y']);
        await t.storage.saveDefinition(def);
        t.storage = await reopen!(t.storage);
        expect(await t.storage.getDefinition('kept', '3')).toEqual(def);
        expect(await t.storage.saveDefinition(makeStoredDefinition('kept', '3', ['z']))).toEqual(def);
        expect(await t.storage.listDefinitions()).toEqual([{ name: 'kept', version: '3', hash: def.hash, storedAt: def.storedAt }]);
      });
    });

    describeIf(openSecond !== undefined)('two adapters on one store (with openSecond)', () => {
      it('two adapters racing to store one version with different content store exactly one', async () => {
        const second = await openSecond!(t.storage);
        try {
          for (let round = 0; round < 5; round++) {
            const a = makeStoredDefinition('shared', String(round), ['a']);
            const b = makeStoredDefinition('shared', String(round), ['b']);
            const [ra, rb] = await Promise.all([t.storage.saveDefinition(a), second.saveDefinition(b)]);
            expect(ra).toEqual(rb);
            expect(await second.getDefinition('shared', String(round))).toEqual(ra);
          }
          expect(await t.storage.listDefinitions('shared')).toHaveLength(5);
        } finally {
          await second.close();
        }
      });
    });
  });
}
