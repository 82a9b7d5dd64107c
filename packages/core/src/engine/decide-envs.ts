/**
 * What {@link decide} needs of each definition besides the definition itself (effective retry
 * policies and compensations, which come from the registered actions' options), built once per
 * definition; and the checks that a definition's actions are registered.
 */
import type { ActionRegistry } from '../actions/action-registry.js';
import type { RetryPolicy, WorkflowDefinition } from '../definition/definition.types.js';
import { DefinitionError } from '../errors.js';
import type { Clock } from './clock.js';
import type { DecideEnv } from './decide/index.js';
import { DEFAULT_COMPENSATION_RETRY, policyFromOptions } from './retry-policy.js';

/** @internal The decide environments of one engine's definitions. */
export class DecideEnvs {
  private readonly envs = new WeakMap<WorkflowDefinition, DecideEnv>();

  constructor(
    private readonly actions: ActionRegistry,
    private readonly clock: Clock,
    /** The engine's `retention`: ms after finishing, or false (keep forever). */
    private readonly retentionMs: number | false = false,
  ) {}

  /** Actions and compensations of `def` that are not registered. */
  unknownActions(def: WorkflowDefinition): string[] {
    const missing = new Set<string>();
    for (const step of Object.values(def.steps)) {
      if (!this.actions.has(step.action)) missing.add(step.action);
      if (step.compensation && !this.actions.has(step.compensation)) missing.add(step.compensation);
    }
    return [...missing];
  }

  /** @throws DefinitionError naming every step whose action or compensation is not registered. */
  assertActionsRegistered(def: WorkflowDefinition): void {
    const issues: Array<{ path: string; message: string }> = [];
    for (const step of Object.values(def.steps)) {
      if (!this.actions.has(step.action)) issues.push({ path: `steps.${step.id}.action`, message: missingAction(step.action) });
      if (step.compensation && !this.actions.has(step.compensation)) {
        issues.push({ path: `steps.${step.id}.compensation`, message: missingAction(step.compensation) });
      }
    }
    if (issues.length) throw new DefinitionError(issues, def.name);
  }

  /** What {@link decide} needs of a definition; built once per definition, `now` read per decision. */
  env(def: WorkflowDefinition): DecideEnv {
    let env = this.envs.get(def);
    if (!env) {
      const actions = this.actions;
      const actionRetry = (action: string): RetryPolicy | undefined => {
        const retry = actions.optionsOf(action).retry;
        return retry ? policyFromOptions(retry) : undefined;
      };
      env = {
        definition: def,
        now: 0,
        retentionMs: def.retentionMs ?? this.retentionMs,
        retryOf: (stepId) => def.steps[stepId]!.retry ?? actionRetry(def.steps[stepId]!.action),
        compensationOf: (stepId) => {
          const step = def.steps[stepId]!;
          if (step.compensation) return step.compensation;
          const c = actions.optionsOf(step.action).compensation;
          return c === undefined ? undefined : typeof c === 'string' ? c : actions.nameOf(c);
        },
        compensationRetryOf: (stepId) => {
          const comp = env!.compensationOf(stepId);
          return (comp ? actionRetry(comp) : undefined) ?? def.steps[stepId]!.retry ?? DEFAULT_COMPENSATION_RETRY;
        },
      };
      this.envs.set(def, env);
    }
    return { ...env, now: this.clock.now() };
  }
}

function missingAction(name: string): string {
  return `no action registered as "${name}"; register it with engine.registerAction('${name}', ...) or @WorkflowAction('${name}') before starting`;
}
