/**
 * Names of the tables for one table prefix (indexes are named `<prefix><suffix>`, see the entity
 * files). Entities and migrations both take their names from here.
 */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';

/** The default table prefix. */
export const DEFAULT_TABLE_PREFIX = 'wm_';

/** Table names for one prefix. */
export interface TableNames {
  readonly prefix: string;
  readonly instances: string;
  readonly events: string;
  readonly timers: string;
  readonly work: string;
  readonly tasks: string;
  readonly idempotencyKeys: string;
  /** Stored definition versions (added by the second migration). */
  readonly definitions: string;
  /** Search attributes, a row per instance and name (added by the retention migration). */
  readonly attributes: string;
  /** Holders of unique business keys, a row per definition name and key (retention migration). */
  readonly businessKeys: string;
  /** Named maintenance leases such as the purge's (retention migration). */
  readonly leases: string;
  /** Purged instances with their history, when the purge archives to this database (retention migration). */
  readonly archivedInstances: string;
  /** Where our own DataSource records executed migrations. */
  readonly migrations: string;
}

/**
 * Lower-case letters, digits and `_`, starting with a letter or `_`: valid unquoted in every
 * database, and short enough that `<prefix>idempotency_keys` and index names stay within
 * PostgreSQL's 63-character identifiers.
 */
const PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,23}$/;

/**
 * @throws WorkflowError (WF_INPUT_INVALID) when `prefix` is not 1-24 characters of `[a-z0-9_]`
 * starting with a letter or `_`.
 */
export function checkTablePrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new WorkflowError(
      ErrorCode.InputInvalid,
      `Invalid tablePrefix "${prefix}": use 1-24 characters of a-z, 0-9 and _, starting with a letter or _ (e.g. "wm_").`,
      { tablePrefix: prefix },
    );
  }
}

const cache = new Map<string, TableNames>();

/** The names for `prefix` (validated). */
export function tableNames(prefix: string = DEFAULT_TABLE_PREFIX): TableNames {
  let names = cache.get(prefix);
  if (names) return names;
  checkTablePrefix(prefix);
  names = {
    prefix,
    instances: `${prefix}instances`,
    events: `${prefix}events`,
    timers: `${prefix}timers`,
    work: `${prefix}work`,
    tasks: `${prefix}tasks`,
    idempotencyKeys: `${prefix}idempotency_keys`,
    definitions: `${prefix}definitions`,
    attributes: `${prefix}instance_attributes`,
    businessKeys: `${prefix}business_keys`,
    leases: `${prefix}leases`,
    archivedInstances: `${prefix}archived_instances`,
    migrations: `${prefix}migrations`,
  };
  cache.set(prefix, names);
  return names;
}
