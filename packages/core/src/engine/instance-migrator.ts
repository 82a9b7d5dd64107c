/**
 * Moving running instances to another version of their definition: one instance (planned by the
 * pure `planMigration`, applied in one compare-and-swap commit), or every unfinished instance of a
 * version, page by page.
 */
import type { WorkflowDefinition } from '../definition/definition.types.js';
import { ErrorCode, isWorkflowError, NotFoundError, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { InstanceRecord, InstanceState } from '../model/instance.types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { audit } from './actor.js';
import type { AttemptRegistry } from './attempt-registry.js';
import type { Clock } from './clock.js';
import { planMigration } from './decide/migration.js';
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
  /** Attempts running here: a renamed step whose attempt still runs here is not dispatched again. */
  attempts: AttemptRegistry;
}

/** States listed by the bulk form (the compensating ones are listed, and refused). */
const UNFINISHED: InstanceState[] = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING'];
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** @internal Plans and applies migrations. */
export class InstanceMigrator {
  constructor(private readonly parts: MigratorParts) {}

  /** Plan (and unless `dryRun`, apply) the move of one instance. */
  async migrate(id: string, options: MigrateOptions, target?: WorkflowDefinition): Promise<MigrationPlan> {
    const { storage, definitions, committer, attempts } = this.parts;
    checkOptions(options);
    const stepMap = options.stepMap ?? {};
    const inst = await storage.getInstance(id);
    if (!inst) throw new NotFoundError('instance', id);
    const to = target ?? (await definitions.load(inst.definitionName, options.toVersion));
    const by = audit(options.by);
    if (options.dryRun) return planMigration(definitions.env(to), inst, await this.definitionOf(inst), stepMap, by).plan;
    if (!definitions.isStored(to)) await definitions.ensureStored(to);
    let plan: MigrationPlan | undefined;
    await committer.transform(id, async (current) => {
      const planned = planMigration(definitions.env(to), current, await this.definitionOf(current), stepMap, by);
      // A renamed step whose attempt still runs here under its old id is not run again: that
      // attempt's outcome reaches the renamed step through the instance's step aliases.
      planned.decision.effects = planned.decision.effects.filter(
        (e) => e.type !== 'run' || planned.renamed[e.stepId] === undefined || !attempts.isRunning(id, planned.renamed[e.stepId]!),
      );
      plan = planned.plan;
      return planned.decision;
    });
    return { ...plan!, applied: true };
  }

  /**
   * One page of the migration of every unfinished instance of `name@fromVersion`: instances of
   * other versions on the page are passed over, refusals are collected (nothing of them changes).
   */
  async migrateAll(name: string, fromVersion: string, options: BulkMigrateOptions): Promise<BulkMigrationPage> {
    const { storage, definitions } = this.parts;
    checkOptions(options);
    if (typeof fromVersion !== 'string' || fromVersion === '') throw new WorkflowError(ErrorCode.InputInvalid, 'migrateInstances(name, fromVersion, options): fromVersion must be a non-empty string.', { field: 'fromVersion' });
    const limit = options.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new WorkflowError(ErrorCode.InputInvalid, `migrateInstances: limit must be a whole number from 1 to ${MAX_PAGE} (got ${JSON.stringify(limit)}).`, { field: 'limit' });
    }
    // An unknown target is one error, not a refusal per instance.
    const to = await definitions.load(name, options.toVersion);
    const page = await storage.listInstances({ definitionName: name, state: UNFINISHED, limit, order: 'asc', ...(options.cursor ? { cursor: options.cursor } : {}) });
    const { cursor: _cursor, limit: _limit, ...single } = options;
    const result: BulkMigrationPage = { migrated: [], refused: [], scanned: page.items.length };
    for (const inst of page.items) {
      if (inst.definitionVersion !== fromVersion) continue;
      try {
        result.migrated.push(await this.migrate(inst.id, single, to));
      } catch (error) {
        if (!isWorkflowError(error)) throw error;
        result.refused.push({ instanceId: inst.id, code: error.code, message: error.message });
      }
    }
    if (page.nextCursor) result.nextCursor = page.nextCursor;
    return result;
  }

  /** The definition an instance runs on now. */
  private async definitionOf(inst: InstanceRecord): Promise<WorkflowDefinition> {
    const { definitions } = this.parts;
    const def = definitions.known(inst) ?? (await definitions.resolve(inst));
    if (!def) {
      throw new NotFoundError('definition', `${inst.definitionName}@${inst.definitionVersion}`, `instance ${inst.id} runs on it; it is neither registered nor stored: register or deploy that version`);
    }
    return def;
  }
}

/** @throws WorkflowError `WF_INPUT_INVALID` naming the option. */
function checkOptions(options: MigrateOptions): void {
  if (typeof options !== 'object' || options === null) throw new WorkflowError(ErrorCode.InputInvalid, 'migrate: options must be an object with toVersion.', { field: 'options' });
  if (typeof options.toVersion !== 'string' || options.toVersion === '') {
    throw new WorkflowError(ErrorCode.InputInvalid, 'migrate: toVersion must be a non-empty string (the version to move to).', { field: 'toVersion' });
  }
  const map = options.stepMap;
  if (map !== undefined && (typeof map !== 'object' || map === null || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string'))) {
    throw new WorkflowError(ErrorCode.InputInvalid, 'migrate: stepMap must be an object of step ids, { "old_step": "new_step" }.', { field: 'stepMap' });
  }
}
