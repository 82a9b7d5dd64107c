/** What `TypeOrmStorage.init()` checks once the DataSource is open: our entities, then our tables. */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';
import type { DataSource } from 'typeorm';
import { ENTITY_SPECS } from '../entities/entity-specs.js';
import { workflowEntitySet, type WorkflowEntitySet } from '../entities/workflow-entities.js';
import type { StorageContext } from '../storage-context.js';
import {
  definitionsTableMissingMessage,
  entitiesMissingMessage,
  retentionTablesMissingMessage,
  tablesMissingMessage,
} from '../storage.messages.js';
import type { TransactionRunner } from '../transaction-runner.js';

const ENTITY_ROLES = ENTITY_SPECS.map((spec) => spec.role);

/**
 * `preferred` when the DataSource lists it, else the portable set of `prefix` when it lists that.
 * @throws WorkflowError (WF_INPUT_INVALID) naming the entities to add.
 */
export function registeredEntities(dataSource: DataSource, preferred: WorkflowEntitySet, prefix: string): WorkflowEntitySet {
  for (const set of [preferred, workflowEntitySet(prefix)]) {
    if (ENTITY_ROLES.every((role) => dataSource.hasMetadata(set[role]))) return set;
  }
  throw new WorkflowError(ErrorCode.InputInvalid, entitiesMissingMessage(prefix, String(dataSource.options.type)), { tablePrefix: prefix });
}

/**
 * Checks that the tables of every migration are there.
 * @throws WorkflowError (WF_INPUT_INVALID) naming the first missing table and the migration that adds it.
 */
export async function checkTables(ctx: StorageContext, tx: TransactionRunner, ownsDataSource: boolean): Promise<void> {
  const { instances, definitions, businessKeys, prefix } = ctx.names;
  const [hasInstances, hasDefinitions, hasRetention] = await tx.read(async (qr) => [
    await qr.hasTable(instances),
    await qr.hasTable(definitions),
    await qr.hasTable(businessKeys),
  ]);
  if (!hasInstances) throw new WorkflowError(ErrorCode.InputInvalid, tablesMissingMessage(instances, ownsDataSource), { table: instances });
  if (!hasDefinitions) throw new WorkflowError(ErrorCode.InputInvalid, definitionsTableMissingMessage(prefix, ownsDataSource), { table: definitions });
  if (!hasRetention) throw new WorkflowError(ErrorCode.InputInvalid, retentionTablesMissingMessage(prefix, ownsDataSource), { table: businessKeys });
}
