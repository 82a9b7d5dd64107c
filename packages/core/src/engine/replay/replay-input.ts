/**
 * What {@link replayHistory} is given, checked and made ready: the history in any of its exported
 * shapes, the definition compiled, and the decide environment with the actions' registered options.
 */
import { ActionRegistry } from '../../actions/action-registry.js';
import type { ActionOptions } from '../../actions/action.types.js';
import { getWorkflowActionMetadata } from '../../actions/workflow-action.decorator.js';
import { parseDefinition } from '../../definition/definition-parser.js';
import type { WorkflowDefinition, WorkflowDefinitionInput } from '../../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../../errors.js';
import type { HistoryEvent, HistoryEventType } from '../../model/instance.types.js';
import { systemClock } from '../clock.js';
import type { DecideEnv } from '../decide/index.js';
import { DecideEnvs } from '../decide-envs.js';
import { isCompiled } from '../definition-versions.js';
import type { RecordedHistory, ReplayOptions } from './replay.types.js';

const SHAPES = 'an array of history events, { events } (the CLI\'s `history ID --json`) or { items } (the HTTP API\'s GET /instances/:id/history), or one of these as JSON text';

/** Every event type a history may hold (checked at run time: a typo or a foreign file is refused). */
const EVENT_TYPES: ReadonlySet<HistoryEventType> = new Set<HistoryEventType>([
  'workflow.started', 'workflow.completed', 'workflow.failed', 'workflow.cancelled', 'workflow.paused', 'workflow.resumed',
  'workflow.retried', 'workflow.timed_out', 'instance.retried_from', 'instance.data_updated', 'instance.migrated',
  'step.scheduled', 'step.completed', 'step.failed', 'step.retrying', 'step.skipped', 'step.waiting', 'step.cancelled',
  'step.skipped_by_operator', 'step.outcome_discarded', 'signal.received', 'child.started', 'child.finished',
  'task.opened', 'task.claimed', 'task.completed', 'task.expired', 'compensation.started', 'compensation.step_completed',
  'compensation.step_failed', 'compensation.completed', 'compensation.failed',
]);

function invalid(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError(ErrorCode.InputInvalid, `replayHistory(history, definition): ${message}`, { field: 'history', ...details });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).join(', ') || '(none)'}`;
  return typeof value;
}

/**
 * The events of a recorded history, copied (decide freezes what it keeps) and checked: each an
 * event object, seq 1, 2, 3… in order, of one instance, starting with `workflow.started`.
 * @throws WorkflowError `WF_INPUT_INVALID` naming what is wrong.
 */
export function recordedEvents(history: RecordedHistory): { events: HistoryEvent[]; instanceId: string } {
  let value: unknown = history;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw invalid(`the history text is not JSON (${(error as Error).message}); give ${SHAPES}.`);
    }
  }
  let outerId: unknown;
  if (!Array.isArray(value) && typeof value === 'object' && value !== null) {
    const shaped = value as { events?: unknown; items?: unknown; instanceId?: unknown };
    outerId = shaped.instanceId;
    value = Array.isArray(shaped.events) ? shaped.events : Array.isArray(shaped.items) ? shaped.items : value;
  }
  if (!Array.isArray(value)) throw invalid(`got ${describe(value)}; give ${SHAPES}.`);
  if (value.length === 0) throw invalid('the history is empty; a recorded history begins with workflow.started.');
  // A copy: decide freezes what it keeps. History is JSON, so a JSON round trip is a faithful one.
  let events: unknown[];
  try {
    events = typeof history === 'string' ? value : (JSON.parse(JSON.stringify(value)) as unknown[]);
  } catch (error) {
    throw invalid(`the history is not JSON data (${(error as Error).message}).`);
  }
  let instanceId: string | undefined = typeof outerId === 'string' ? outerId : undefined;
  events.forEach((e, i) => {
    const where = `event #${i + 1}`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw invalid(`${where} is ${describe(e)}, not a history event ({ seq, type, at, ... }).`, { index: i });
    const { seq, type, at, instanceId: id, data } = e as Record<string, unknown>;
    if (seq !== i + 1) {
      throw invalid(`${where} has seq ${JSON.stringify(seq)}, expected ${i + 1}: events must be given in seq order, from 1, without gaps (as getHistory returns them).`, { index: i, seq });
    }
    if (typeof type !== 'string' || !EVENT_TYPES.has(type as HistoryEventType)) {
      throw invalid(`${where} (seq ${i + 1}) has type ${JSON.stringify(type)}, which no engine records.`, { index: i, type });
    }
    if (typeof at !== 'number' || !Number.isFinite(at)) throw invalid(`${where} (seq ${i + 1}) has no time: "at" must be epoch milliseconds, got ${JSON.stringify(at)}.`, { index: i });
    if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) throw invalid(`${where} (seq ${i + 1}) has "data" that is ${describe(data)}, not an object.`, { index: i });
    if (id !== undefined) {
      if (instanceId !== undefined && id !== instanceId) throw invalid(`${where} (seq ${i + 1}) belongs to instance ${JSON.stringify(id)}, the events before it to ${JSON.stringify(instanceId)}: give the history of one instance.`, { index: i });
      if (typeof id === 'string') instanceId = id;
    }
  });
  const checked = events as HistoryEvent[];
  if (checked[0]!.type !== 'workflow.started') throw invalid(`it begins with ${checked[0]!.type}, not workflow.started: give the whole history, from seq 1.`);
  return { events: checked, instanceId: instanceId ?? 'replayed' };
}

/** True for an `ActionRegistry` (of this copy of core or another). */
function isRegistry(value: unknown): value is ActionRegistry {
  return typeof (value as ActionRegistry | undefined)?.optionsOf === 'function' && typeof (value as ActionRegistry).nameOf === 'function';
}

const NO_OP = (): undefined => undefined;

/** The registry whose options and names the replay uses (see {@link ReplayOptions.actions}). */
function registryFor(definition: WorkflowDefinition | WorkflowDefinitionInput, actions: ReplayOptions['actions']): ActionRegistry {
  if (isRegistry(actions)) return actions;
  const registry = new ActionRegistry();
  if (!isCompiled(definition)) {
    for (const step of Object.values((definition as WorkflowDefinitionInput).steps ?? {})) {
      for (const ref of [step?.action, step?.compensation]) {
        const meta = getWorkflowActionMetadata(ref);
        if (meta) registry.register(meta.name, ref as Parameters<ActionRegistry['register']>[1], meta.options);
      }
    }
  }
  for (const [name, options] of Object.entries(actions ?? {})) registry.register(name, NO_OP, options as ActionOptions);
  return registry;
}

/** The compiled definition and its decide environment (`now` set per decision). @throws DefinitionError */
export function replayEnvironment(definition: WorkflowDefinition | WorkflowDefinitionInput, options: ReplayOptions): DecideEnv {
  if (typeof definition !== 'object' || definition === null) {
    throw new WorkflowError(ErrorCode.InputInvalid, `replayHistory(history, definition): the definition must be a definition object (compiled or as written), got ${describe(definition)}.`, { field: 'definition' });
  }
  const registry = registryFor(definition, options.actions);
  const def = isCompiled(definition)
    ? definition
    : parseDefinition(definition, {
        resolveActionName: (ref) => registry.nameOf(ref),
        ...(options.expressionOptions ? { expressionOptions: options.expressionOptions } : {}),
      });
  return new DecideEnvs(registry, systemClock).env(def);
}
