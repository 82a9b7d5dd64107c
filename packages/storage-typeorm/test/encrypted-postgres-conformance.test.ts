/** The shared storage conformance suite on EncryptedStorage over PostgreSQL, and no plaintext at rest. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { EncryptedStorage } from '@workflow-mastery/core';
import { makeCreate, runStorageConformance } from '@workflow-mastery/core/testing';
import { adminConnection, describeIf, dropTables, emptyTables, serverAvailable, serverStorage, uniquePrefix, type AdminConnection } from './support/databases.js';

const available = await serverAvailable('postgres');
const prefix = uniquePrefix('pgenc');
const keys = { k1: randomBytes(32) };
const encrypted = () => new EncryptedStorage(serverStorage('postgres', prefix), { keys, currentKeyId: 'k1' });
let admin: AdminConnection;

describeIf(available)('encrypted over postgres', () => {
  beforeAll(async () => {
    admin = await adminConnection('postgres');
  });
  afterAll(async () => {
    await dropTables(admin, 'postgres', prefix);
    await admin.close();
  });

  runStorageConformance(
    'encrypted typeorm postgres',
    async () => {
      await emptyTables(admin, 'postgres', prefix);
      return encrypted();
    },
    {
      capabilities: { commitMany: true, writeBatch: false, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
      reopen: async (old) => {
        await old.close();
        return encrypted();
      },
      openSecond: () => Promise.resolve(encrypted()),
    },
  );

  it('stores no plaintext of instance data in PostgreSQL', async () => {
    await emptyTables(admin, 'postgres', prefix);
    const storage = encrypted();
    try {
      const { instance, events } = makeCreate({ data: { card: 'SECRET-4242-4242' } });
      await storage.createInstance(instance, events);
      expect((await storage.getInstance(instance.id))!.data).toEqual({ card: 'SECRET-4242-4242' });
      const rows = await admin.query(`SELECT record FROM "${prefix}instances"`);
      expect(rows).toHaveLength(1);
      expect(String(rows[0]!.record)).not.toContain('SECRET-4242');
      expect(String(rows[0]!.record)).toContain('aes-256-gcm');
    } finally {
      await storage.close();
    }
  });
});
