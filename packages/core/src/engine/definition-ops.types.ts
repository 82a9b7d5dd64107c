/**
 * Types of the engine's definition and operator methods: deploying a definition at run time,
 * migrating running instances to another version, and the operator controls (retry from a step,
 * skip a step, update the data).
 */
import type { WorkflowDefinition } from '../definition/definition.types.js';
import type { InstanceState, StepStatus, TimerKind } from '../model/instance.types.js';
import type { StoredDefinitionSummary } from '../storage/storage-adapter.js';
import type { Actor } from './actor.js';

/** Options of {@link WorkflowEngine.deployDefinition}. */
export interface DeployOptions {
  /**
   * Store it even when this engine has no action of some steps (an API-only node deploying for its
   * workers). They are listed in `unknownActions`. @defaultValue false: refused with every missing action named
   */
  allowUnknownActions?: boolean;
}

/** What {@link WorkflowEngine.deployDefinition} stored (or found stored with the same content). */
export interface DeployedDefinition extends StoredDefinitionSummary {
  /** False when this exact content was already stored: deploying it again changes nothing. */
  created: boolean;
  /** Actions (and compensations) of the definition this engine has not registered. */
  unknownActions: string[];
  /** The compiled definition, now known to this engine. */
  definition: WorkflowDefinition;
}

/** A definition version as {@link WorkflowEngine.listDefinitionVersions} lists it. */
export interface DefinitionVersionInfo extends StoredDefinitionSummary {
  /** This engine has it compiled (registered in code, deployed, or loaded for an instance). */
  loaded: boolean;
  /** Stored in the storage (false only for a registered version no instance has used yet). */
  stored: boolean;
}

/** Options of {@link WorkflowEngine.migrateInstance}. */
export interface MigrateOptions {
  /** The version to move to (of the same definition name). */
  toVersion: string;
  /** Where each step of the current version that the target lacks (or renames) goes: `{ old_id: new_id }`. */
  stepMap?: Record<string, string>;
  /** Only plan: return the plan, change nothing. @defaultValue false */
  dryRun?: boolean;
  /** Who migrates it; kept in the `instance.migrated` event. */
  by?: Actor;
}

/** Where one step record of a migrated instance goes. */
export interface MigrationStepMove {
  from: string;
  to: string;
  status: StepStatus;
  /** True when its status keeps the instance there (scheduled, waiting, retry wait, open task). */
  open: boolean;
}

/** The plan of one instance's migration (the dry run's answer, and what was applied). */
export interface MigrationPlan {
  instanceId: string;
  definitionName: string;
  fromVersion: string;
  toVersion: string;
  state: InstanceState;
  /** Every step record carried over, with its new step id. */
  steps: MigrationStepMove[];
  /**
   * Step records of ended steps (completed, skipped, failed...) the target does not have and
   * `stepMap` does not place: removed. Their results stay in the data; a later saga does not
   * compensate them (the target has no compensation for them).
   */
  dropped: string[];
  /** Human tasks moved: old task id to new (`<instanceId>.<stepId>.<run>`). */
  tasks: Array<{ from: string; to: string }>;
  /**
   * Durable timers: old id to new (the same when its step keeps its id). `from: null`: armed by the
   * migration (the target has a deadline the source had not); `to: null`: disarmed (the target has
   * no deadline, or the timer's step was dropped). The deadline follows the target's `timeout`,
   * counted from the instance's creation.
   */
  timers: Array<{ from: string | null; to: string | null; kind: TimerKind; fireAt: number }>;
  /**
   * Buffered signals, and the target steps that can wait for them: those whose `config.signal`
   * names it (which step waits is up to its action at run time). Signals stay buffered either way.
   */
  signals: Array<{ name: string; waitingSteps: string[] }>;
  /** Steps of the target no route reaches any more from where the instance is. */
  unreachable: string[];
  /** True once committed; false for a dry run. */
  applied: boolean;
}

/** Options of {@link WorkflowEngine.migrateInstances} (the bulk form). */
export interface BulkMigrateOptions extends MigrateOptions {
  /** Continue after this cursor (the previous page's `nextCursor`). */
  cursor?: string;
  /** Instances per page. @defaultValue 100 */
  limit?: number;
}

/** One page of a bulk migration. */
export interface BulkMigrationPage {
  /** Instances of the source version on this page that were (or, in a dry run, would be) migrated. */
  migrated: MigrationPlan[];
  /** Instances that cannot move as asked, and why (nothing of them changed). */
  refused: Array<{ instanceId: string; code: string; message: string }>;
  /** Unfinished instances of the definition (any version) looked at on this page. */
  scanned: number;
  /** Present while more unfinished instances may follow; pass it back as `cursor`. */
  nextCursor?: string;
}
