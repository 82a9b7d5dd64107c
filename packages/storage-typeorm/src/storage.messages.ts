/** User-facing messages of the TypeORM storage, gathered in one place. */

/** A record or event over `maxPayloadBytes`. */
export function payloadTooLargeMessage(what: string, instanceId: string, bytes: number, limit: number): string {
  return (
    `${what} of instance ${instanceId} is ${bytes} bytes of JSON, over the limit of ${limit} bytes; nothing was stored. ` +
    'Keep large data outside the workflow (store a reference to it), or raise the limit with ' +
    `new TypeOrmStorage({ ..., maxPayloadBytes: ${Math.max(limit * 2, nextMiB(bytes))} }) ` +
    '(on MySQL/MariaDB, max_allowed_packet must exceed it too).'
  );
}

function nextMiB(bytes: number): number {
  return Math.ceil(bytes / 1_048_576) * 1_048_576;
}

/** An id or key longer than the columns hold. */
export function tooLongMessage(what: string, value: string, max: number): string {
  return `${what} "${value.slice(0, 40)}..." is ${value.length} characters; TypeOrmStorage stores at most ${max}. Use a shorter one.`;
}

/** The tables are missing on init. */
export function tablesMissingMessage(table: string, ownDataSource: boolean): string {
  return ownDataSource
    ? `Table ${table} does not exist and runMigrations is false: run the migrations (workflowMigrations()) first, or pass runMigrations: true.`
    : `Table ${table} does not exist: add ...workflowMigrations(prefix) to your DataSource's migrations and run dataSource.runMigrations(), ` +
        'or pass runMigrations: true to TypeOrmStorage.';
}

/** A table that a later migration (`WorkflowMastery<stem>`) adds is missing. */
export function laterTableMissingMessage(prefix: string, table: string, what: string, stem: string, ownDataSource: boolean): string {
  return ownDataSource
    ? `Table ${table} (${what}) does not exist and runMigrations is false: run the pending migrations ` +
        `(workflowMigrations(${JSON.stringify(prefix)}) includes WorkflowMastery${stem}), or pass runMigrations: true.`
    : `Table ${table} (${what}) does not exist: this version adds the migration WorkflowMastery${stem}. ` +
        `List ...workflowMigrations(${JSON.stringify(prefix)}) in your DataSource's migrations (not only the earlier ones) and run dataSource.runMigrations(), ` +
        'or pass runMigrations: true to TypeOrmStorage.';
}

/** The tables of version 1 are there, the definitions table (second migration) is not. */
export function definitionsTableMissingMessage(prefix: string, ownDataSource: boolean): string {
  return laterTableMissingMessage(prefix, `${prefix}definitions`, 'stored definition versions', 'Definitions', ownDataSource);
}

/** The business keys table (retention migration) is missing. */
export function retentionTablesMissingMessage(prefix: string, ownDataSource: boolean): string {
  return laterTableMissingMessage(prefix, `${prefix}business_keys`, 'unique business keys', 'Retention', ownDataSource);
}

/** The user's DataSource does not know our entities. */
export function entitiesMissingMessage(prefix: string, type: string): string {
  return (
    `The DataSource has no entities for the workflow tables with prefix "${prefix}": ` +
    `add ...workflowEntities(${JSON.stringify(prefix)}, ${JSON.stringify(type)}) to its entities.`
  );
}

/** Use after close. */
export const CLOSED_MESSAGE = 'TypeOrmStorage is closed; create a new one to open the database again.';
