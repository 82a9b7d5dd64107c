/** `migrate`: create or upgrade the storage's tables, and say what was done. */
import type { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';
import type { CliCommand } from '../command.types.js';
import { unwrapEncryption } from '../encryption-env.js';

type DataSource = TypeOrmStorage['dataSource'];

/** Names of the migrations recorded in the DataSource's migrations table (none when it does not exist). */
async function executedMigrations(dataSource: DataSource): Promise<string[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable(table))) return [];
    const rows = (await dataSource.createQueryBuilder(runner).select('m.name', 'name').from(table, 'm').getRawMany()) as Array<{ name: string }>;
    return rows.map((r) => r.name);
  } finally {
    await runner.release();
  }
}

/** `workflow-mastery migrate`. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  register(program, runtime) {
    program
      .command('migrate')
      .description("create or upgrade the SQL storage's tables (safe to run from several processes at once)")
      .action(
        runtime.action(async (session) => {
          const out = session.out;
          const storage = unwrapEncryption(await session.storage());
          const database = session.describeDatabase();
          const { TypeOrmStorage } = await import('@workflow-mastery/storage-typeorm');
          if (!(storage instanceof TypeOrmStorage)) {
            out.document({ database, applied: [], upToDate: true, note: 'this storage has no schema' });
            out.line(`${database}: nothing to migrate (this storage has no schema)`);
            return;
          }
          const before = await executedMigrations(storage.dataSource);
          await storage.init();
          const after = await executedMigrations(storage.dataSource);
          const applied = after.filter((name) => !before.includes(name));
          const table = storage.dataSource.options.migrationsTableName;
          out.document({ database, tablePrefix: storage.tablePrefix, applied, executed: after, upToDate: applied.length === 0 });
          if (applied.length === 0) {
            out.line(`${out.c.green('✔')} ${database}: already up to date (${after.length} migration(s) recorded in ${table})`);
          } else {
            for (const name of applied) out.line(`${out.c.green('✔')} applied ${name}`);
            out.line(`${database}: ${applied.length} migration(s) applied; tables ${storage.tablePrefix}* ready`);
          }
        }),
      );
  },
};
