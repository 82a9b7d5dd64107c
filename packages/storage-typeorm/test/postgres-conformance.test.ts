/** The shared storage conformance suite on PostgreSQL, with reopen and a second storage (each a new pool on the same tables). */
import { afterAll, beforeAll } from '@jest/globals';
import { runStorageConformance } from '@workflow-mastery/core/testing';
import { adminConnection, describeIf, dropTables, emptyTables, serverAvailable, serverStorage, uniquePrefix, type AdminConnection } from './support/databases.js';

const available = await serverAvailable('postgres');
const prefix = uniquePrefix('pgconf');
let admin: AdminConnection;

describeIf(available)('postgres', () => {
  beforeAll(async () => {
    admin = await adminConnection('postgres');
  });
  afterAll(async () => {
    await dropTables(admin, 'postgres', prefix);
    await admin.close();
  });

  runStorageConformance(
    'typeorm postgres',
    async () => {
      await emptyTables(admin, 'postgres', prefix);
      return serverStorage('postgres', prefix);
    },
    {
      capabilities: { commitMany: true, writeBatch: true, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
      reopen: async (old) => {
        await old.close();
        return serverStorage('postgres', prefix);
      },
      maxPayloadBytes: 1_048_576,
      openSecond: () => Promise.resolve(serverStorage('postgres', prefix)),
    },
  );
});
