/** The shared storage conformance suite on MariaDB, with reopen and a second storage (each a new pool on the same tables). */
import { afterAll, beforeAll } from '@jest/globals';
import { runStorageConformance } from '@workflow-mastery/core/testing';
import { adminConnection, describeIf, dropTables, emptyTables, serverAvailable, serverStorage, uniquePrefix, type AdminConnection } from './support/databases.js';

const available = await serverAvailable('mariadb');
const prefix = uniquePrefix('myconf');
let admin: AdminConnection;

describeIf(available)('mariadb', () => {
  beforeAll(async () => {
    admin = await adminConnection('mariadb');
  });
  afterAll(async () => {
    await dropTables(admin, 'mariadb', prefix);
    await admin.close();
  });

  runStorageConformance(
    'typeorm mariadb',
    async () => {
      await emptyTables(admin, 'mariadb', prefix);
      return serverStorage('mariadb', prefix);
    },
    {
      capabilities: { commitMany: true, writeBatch: true, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
      reopen: async (old) => {
        await old.close();
        return serverStorage('mariadb', prefix);
      },
      maxPayloadBytes: 1_048_576,
      openSecond: () => Promise.resolve(serverStorage('mariadb', prefix)),
    },
  );
});
