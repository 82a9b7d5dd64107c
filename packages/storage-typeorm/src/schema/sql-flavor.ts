/** Which SQL dialect a DataSource speaks, as far as this package cares. */
import type { DataSource } from 'typeorm';
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';

/** `mysql` covers MariaDB; `sqlite` is better-sqlite3. */
export type SqlFlavor = 'postgres' | 'mysql' | 'sqlite';

/** Database types {@link TypeOrmStorage} supports. */
export const SUPPORTED_TYPES = ['postgres', 'mysql', 'mariadb', 'better-sqlite3'] as const;

/** One of {@link SUPPORTED_TYPES}. */
export type SupportedType = (typeof SUPPORTED_TYPES)[number];

/**
 * The flavour of a DataSource's driver.
 * @throws WorkflowError (WF_INPUT_INVALID) for a database type this package does not support.
 */
export function flavorOfType(type: string): SqlFlavor {
  switch (type) {
    case 'postgres':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'better-sqlite3':
      return 'sqlite';
    default:
      throw new WorkflowError(
        ErrorCode.InputInvalid,
        `TypeOrmStorage does not support database type "${type}"; use one of ${SUPPORTED_TYPES.join(', ')}.`,
        { type },
      );
  }
}

/** The flavour of `dataSource`. */
export function sqlFlavor(dataSource: DataSource): SqlFlavor {
  return flavorOfType(String(dataSource.options.type));
}
