/**
 * The definitions an engine knows, by name and version, with what each needs to be decided on
 * (its {@link DecideEnv}) and the instances waiting for a version not registered yet.
 */
import type { ActionRegistry } from '../actions/action-registry.js';
import { parseDefinition } from '../definition/definition-parser.js';
import type { RetryPolicy, WorkflowDefinition, WorkflowDefinitionInput } from '../definition/definition.types.js';
import { DefinitionError, ErrorCode, NotFoundError, WorkflowError } from '../errors.js';
import type { ExpressionOptions } from '../expression/expression.types.js';
import type { Logger } from '../logger.js';
import type { InstanceRecord } from '../model/instance.types.js';
import type { Clock } from './clock.js';
import type { DecideEnv } from './decide/index.js';
import { compileInputSchema } from './input-validator.js';
import { DEFAULT_COMPENSATION_RETRY, policyFromOptions } from './retry-policy.js';

/** @internal Registered definitions of one engine. */
export class DefinitionRegistry {
  private readonly definitions = new Map<string, Map<string, WorkflowDefinition>>();
  /** Instances whose definition version was not registered when their work came up. */
  private readonly parked = new Map<string, Set<string>>();
  private readonly envs = new WeakMap<WorkflowDefinition, DecideEnv>();

  constructor(
    private readonly actions: ActionRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly expressionOptions: ExpressionOptions | undefined,
    /** Called for each parked instance once its version is registered. */
    private readonly unpark: (instanceId: string) => void,
  ) {}

  /** Validate and register a definition under its name and version; returns the compiled form. */
  register(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    const def = isCompiled(definition)
      ? definition
      : parseDefinition(definition, {
          ...(this.expressionOptions ? { expressionOptions: this.expressionOptions } : {}),
          resolveActionName: (ref) => this.actions.nameOf(ref),
        });
    compileInputSchema(def);
    let versions = this.definitions.get(def.name);
    if (!versions) this.definitions.set(def.name, (versions = new Map()));
    versions.set(def.version, def);
    const key = `${def.name}@${def.version}`;
    const parked = this.parked.get(key);
    if (parked) {
      this.parked.delete(key);
      for (const id of parked) this.unpark(id);
    }
    return def;
  }

  /** A registered definition; the latest version unless one is given. @throws NotFoundError */
  get(name: string, version?: string): WorkflowDefinition {
    const versions = this.definitions.get(name);
    if (!versions || versions.size === 0) {
      throw new NotFoundError('definition', name, `register it with engine.registerDefinition(); registered: ${[...this.definitions.keys()].join(', ') || 'none'}`);
    }
    if (version !== undefined) {
      const def = versions.get(version);
      if (!def) throw new NotFoundError('definition', `${name}@${version}`, `registered versions: ${[...versions.keys()].join(', ')}`);
      return def;
    }
    return [...versions.values()].sort((a, b) => compareVersions(b.version, a.version))[0]!;
  }

  /** Every registered definition, every version. */
  list(): WorkflowDefinition[] {
    return [...this.definitions.values()].flatMap((v) => [...v.values()]);
  }

  /** The definition an instance runs on; when it is not registered the instance is parked until it is. */
  find(inst: InstanceRecord): WorkflowDefinition | undefined {
    const def = this.definitions.get(inst.definitionName)?.get(inst.definitionVersion);
    if (!def) {
      const key = `${inst.definitionName}@${inst.definitionVersion}`;
      let ids = this.parked.get(key);
      if (!ids) this.parked.set(key, (ids = new Set()));
      ids.add(inst.id);
      this.logger.error(
        { workflowId: inst.id, correlationId: inst.correlationId ?? inst.id, definition: inst.definitionName, version: inst.definitionVersion },
        `definition ${inst.definitionName}@${inst.definitionVersion} is not registered; register it so instance ${inst.id} can go on`,
      );
    }
    return def;
  }

  /** A definition passed to `start()` itself: the registered one of that name and version, or registered now. */
  resolveInline(definition: WorkflowDefinitionInput | WorkflowDefinition): WorkflowDefinition {
    const name = (definition as { name?: unknown }).name;
    const version = String((definition as { version?: unknown }).version ?? '1');
    const known = typeof name === 'string' ? this.definitions.get(name)?.get(version) : undefined;
    if (known && (isCompiled(definition) ? known === definition : true)) {
      if (!isCompiled(definition) && JSON.stringify(known.source) !== JSON.stringify(this.sourceOf(definition))) {
        throw new WorkflowError(
          ErrorCode.DefinitionInvalid,
          `A different definition "${name}" version ${version} is already registered; give this one a new version.`,
          { definition: name, version },
        );
      }
      return known;
    }
    return this.register(definition);
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

  private sourceOf(def: WorkflowDefinitionInput): unknown {
    return parseDefinition(def, { resolveActionName: (ref) => this.actions.nameOf(ref) }).source;
  }
}

/** Compare dotted versions numerically where they are numbers (`2.10` > `2.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x.localeCompare(y);
    if (c !== 0) return c;
  }
  return 0;
}

function isCompiled(def: unknown): def is WorkflowDefinition {
  return typeof def === 'object' && def !== null && 'outgoing' in def && 'source' in def;
}

function missingAction(name: string): string {
  return `no action registered as "${name}"; register it with engine.registerAction('${name}', ...) or @WorkflowAction('${name}') before starting`;
}
