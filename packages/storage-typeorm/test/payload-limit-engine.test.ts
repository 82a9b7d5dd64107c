/** The payload-limit contract (an outcome over the limit fails its attempt once) on SQLite, PostgreSQL and MariaDB. */
import { afterAll, beforeAll } from '@jest/globals';
import { runPayloadLimitContract } from '@workflow-mastery/core/testing';
import { TypeOrmStorage } from '../src/index.js';
import { adminConnection, describeIf, dropTables, emptyTables, serverAvailable, serverStorage, uniquePrefix, type AdminConnection, type ServerKind } from './support/databases.js';

runPayloadLimitContract('typeorm better-sqlite3', (limit) => new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:', maxPayloadBytes: limit }));

for (const kind of ['postgres', 'mariadb'] as ServerKind[]) {
  const available = await serverAvailable(kind);
  const prefix = uniquePrefix('payload');
  let admin: AdminConnection;
  describeIf(available)(kind, () => {
    beforeAll(async () => {
      admin = await adminConnection(kind);
    });
    afterAll(async () => {
      await dropTables(admin, kind, prefix);
      await admin.close();
    });
    runPayloadLimitContract(`typeorm ${kind}`, async (limit) => {
      await emptyTables(admin, kind, prefix);
      return serverStorage(kind, prefix, { maxPayloadBytes: limit });
    });
  });
}
