/**
 * The storage of the app: PostgreSQL when DATABASE_URL is set, else a SQLite file under
 * `.workflow-data/`; tables prefixed with WM_TABLE_PREFIX (default `wm_`).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { TypeOrmStorage } from '@workflow-mastery/storage-typeorm';

/** The storage and a line describing it. */
export function storageFromEnv(env: NodeJS.ProcessEnv = process.env): { storage: TypeOrmStorage; description: string } {
  const url = env.DATABASE_URL;
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_URL must be a postgres:// URL, got "${url.replace(/\/\/[^@]*@/, '//…@')}"`);
    const tablePrefix = env.WM_TABLE_PREFIX;
    return { storage: new TypeOrmStorage({ type: 'postgres', url, applicationName: 'sample-nestjs-orders', ...(tablePrefix ? { tablePrefix } : {}) }), description: `PostgreSQL (${url.replace(/\/\/[^@]*@/, '//…@')})` };
  }
  const directory = path.resolve(env.WM_DATA_DIR ?? '.workflow-data/nestjs-orders');
  mkdirSync(directory, { recursive: true });
  const database = path.join(directory, 'workflows.sqlite');
  return { storage: new TypeOrmStorage({ type: 'better-sqlite3', database }), description: `SQLite (${path.relative(process.cwd(), database) || database})` };
}
