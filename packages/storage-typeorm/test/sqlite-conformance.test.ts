/** The shared storage conformance suite on SQLite: a temp file (with reopen and a second connection) and `:memory:`. */
import { afterAll } from '@jest/globals';
import { runStorageConformance } from '@workflow-mastery/core/testing';
import { TypeOrmStorage } from '../src/index.js';
import { SqliteFiles } from './support/sqlite-files.js';

const files = new SqliteFiles();
afterAll(() => files.remove());

let file = '';
runStorageConformance(
  'typeorm better-sqlite3 (file)',
  () => {
    file = files.next();
    return new TypeOrmStorage({ type: 'better-sqlite3', database: file });
  },
  {
    capabilities: { commitMany: true, writeBatch: true, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
    reopen: async (old) => {
      await old.close();
      return new TypeOrmStorage({ type: 'better-sqlite3', database: file });
    },
    maxPayloadBytes: 1_048_576,
    // Another connection (another engine) on the same file.
    openSecond: () => Promise.resolve(new TypeOrmStorage({ type: 'better-sqlite3', database: file })),
  },
);

runStorageConformance('typeorm better-sqlite3 (:memory:)', () => new TypeOrmStorage({ type: 'better-sqlite3', database: ':memory:' }), {
  capabilities: { commitMany: true, writeBatch: true, claimWork: true, renewLeases: true, rewriteHistory: true, purge: true, acquireLease: true },
});
