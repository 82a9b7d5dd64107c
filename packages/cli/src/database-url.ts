/** `--database URL`: which storage the command line opens. */
import path from 'node:path';
import { UsageError } from './cli-error.js';

/** Where state lives when neither `--database` nor `WORKFLOW_DATABASE_URL` says otherwise. */
export const DEFAULT_DATABASE = 'sqlite:./.workflow-data/workflows.sqlite';

/** A parsed `--database` value. */
export type DatabaseSpec =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql' | 'mariadb'; url: string }
  | { kind: 'file'; directory: string }
  | { kind: 'memory' };

/**
 * Parse a database URL: `sqlite:PATH`, `postgres://...` (or `postgresql://`), `mysql://...`,
 * `mariadb://...`, `file:DIR`, `memory:`. Relative paths are resolved against `cwd`.
 * @throws UsageError naming the accepted forms.
 */
export function parseDatabaseUrl(value: string, cwd: string = process.cwd()): DatabaseSpec {
  const url = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const rest = (prefix: string) => url.slice(prefix.length + 1).replace(/^\/\//, '');
  switch (scheme) {
    case 'sqlite': {
      const file = rest('sqlite');
      if (!file) throw new UsageError('--database sqlite: needs a file, e.g. sqlite:./.workflow-data/workflows.sqlite');
      return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(cwd, file) };
    }
    case 'postgres':
    case 'postgresql':
      return { kind: 'postgres', url };
    case 'mysql':
      return { kind: 'mysql', url };
    case 'mariadb':
      // The driver speaks the MySQL protocol and parses mysql:// URLs.
      return { kind: 'mariadb', url: `mysql:${url.slice('mariadb:'.length)}` };
    case 'file': {
      const dir = rest('file');
      if (!dir) throw new UsageError('--database file: needs a directory, e.g. file:./.workflow-data/files');
      return { kind: 'file', directory: path.resolve(cwd, dir) };
    }
    case 'memory':
      return { kind: 'memory' };
    default:
      throw new UsageError(
        `--database "${value}" is not a database URL; use sqlite:PATH, postgres://user@host/db, mysql://user@host/db, mariadb://user@host/db, file:DIR or memory:`,
      );
  }
}

/** The spec without its password, for messages. */
export function describeDatabase(spec: DatabaseSpec, cwd: string = process.cwd()): string {
  switch (spec.kind) {
    case 'sqlite':
      return `SQLite ${spec.file === ':memory:' ? '(in memory)' : path.relative(cwd, spec.file) || spec.file}`;
    case 'file':
      return `files in ${path.relative(cwd, spec.directory) || '.'}`;
    case 'memory':
      return 'memory (nothing is kept after exit)';
    default: {
      const name = spec.kind === 'postgres' ? 'PostgreSQL' : spec.kind === 'mysql' ? 'MySQL' : 'MariaDB';
      try {
        const u = new URL(spec.url);
        u.password = u.password ? '***' : '';
        return `${name} ${u.host}${u.pathname}`;
      } catch {
        return name;
      }
    }
  }
}
