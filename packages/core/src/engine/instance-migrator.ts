/** Moving running instances to another version of their definition (TO BE WRITTEN, issue #15 item 3). */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { Clock } from './clock.js';
import type { BulkMigrateOptions, BulkMigrationPage, MigrateOptions, MigrationPlan } from './definition-ops.types.js';
import type { DefinitionRegistry } from './definition-registry.js';
import type { InstanceCommitter } from './instance-committer.js';

/** @internal What the migrator works with. */
export interface MigratorParts {
  storage: StorageAdapter;
  definitions: DefinitionRegistry;
  committer: InstanceCommitter;
  clock: Clock;
  logger: Logger;
}

/** @internal Plans and applies migrations. */
export class InstanceMigrator {
  constructor(private readonly parts: MigratorParts) {}

  async migrate(id: string, _options: MigrateOptions): Promise<MigrationPlan> {
    void this.parts;
    throw new WorkflowError(ErrorCode.InputInvalid, `migrateInstance(${id}) is not written yet`);
  }

  async migrateAll(name: string, fromVersion: string, _options: BulkMigrateOptions): Promise<BulkMigrationPage> {
    throw new WorkflowError(ErrorCode.InputInvalid, `migrateInstances(${name}@${fromVersion}) is not written yet`);
  }
}
