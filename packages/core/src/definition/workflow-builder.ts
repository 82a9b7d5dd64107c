/** A typed fluent builder for the storable definition format. */
import { DefinitionError } from '../errors.js';
import { parseDefinition, type ParseDefinitionOptions } from './definition-parser.js';
import type {
  ErrorHandlingInput,
  JsonObject,
  StepDefinitionInput,
  TransitionInput,
  WorkflowDefinition,
  WorkflowDefinitionInput,
} from './definition.types.js';
import { cloneJson } from './parse-util.js';
import type {
  AllDeclared,
  TransitionOptions,
  BuilderStepInput,
  BuilderTransitionOptions,
  CheckedDuration,
  NewId,
  ThenNeedsAStep,
} from './workflow-builder.types.js';

export type { TransitionOptions } from './workflow-builder.types.js';

/**
 * Builds a {@link WorkflowDefinitionInput}: exactly the structure you would write by hand, so it
 * can be stored, diffed and parsed like any other. Validation happens in {@link WorkflowBuilder.parse}
 * (or `parseDefinition`); the builder itself only rejects what the object form cannot express
 * (a step or group added twice, `then()` with nothing before it).
 *
 * Started with {@link workflow}, it also checks at compile time what it can see: its type
 * parameters collect the step ids and group names added (`Steps`, `Groups`) and the ids referenced
 * by transitions and groups (`Targets`, `Members`), so `build()`/`parse()` do not compile while a
 * referenced id was never added; duration literals must parse and condition literals must not be
 * empty (see `workflow-builder.types.ts`). Values typed as plain `string` are left to `parse()`.
 * The bare type `WorkflowBuilder` (all ids `string`) checks no ids: use it for builders assembled
 * from data.
 *
 * @example
 * const def = workflow('order_processing', '2.0')
 *   .step('validate_order', { action: 'validate_order', timeout: '30s', retry_attempts: 3 })
 *   .then('check_fraud', { condition: 'order.valid === true' })
 *   .step('check_fraud', { action: FraudCheck })
 *   .build();
 */
export class WorkflowBuilder<
  Steps extends string = string,
  Groups extends string = string,
  Targets extends string = never,
  Members extends string = never,
> {
  private readonly steps: Record<string, StepDefinitionInput> = {};
  private readonly transitions: TransitionInput[] = [];
  private readonly groups: Record<string, string[]> = {};
  private readonly extra: Omit<WorkflowDefinitionInput, 'name' | 'version' | 'steps' | 'transitions' | 'parallel_groups'> = {};
  /** Last step or group added: the `from` of {@link then}. */
  private last: string | undefined;

  constructor(
    private readonly name: string,
    private readonly version?: string,
  ) {}

  /** Sets the human-readable description. */
  description(text: string): this {
    this.extra.description = text;
    return this;
  }

  /** Adds a step. @throws DefinitionError when `id` was already added. */
  step<const Id extends string, const D extends string = never, const C extends string = never>(
    id: NewId<Id, Steps | Groups>,
    definition: BuilderStepInput<D, C>,
  ): WorkflowBuilder<Steps | Id, Groups, Targets, Members> {
    this.assertNew(id, `steps.${id}`);
    this.steps[id] = definition as StepDefinitionInput;
    this.last = id;
    return this as WorkflowBuilder<never, never, never, never>;
  }

  /** Adds a transition between two steps or groups (either may be added later). */
  transition<const From extends string, const To extends string, const C extends string = never>(
    from: From,
    to: To,
    options: BuilderTransitionOptions<C> = {},
  ): WorkflowBuilder<Steps, Groups, Targets | From | To, Members> {
    this.transitions.push({ from, to, ...(options as TransitionOptions) });
    return this as WorkflowBuilder<never, never, never, never>;
  }

  /**
   * Adds a transition from the last added step or group to `to` (which may be added later).
   * @throws DefinitionError when nothing was added yet.
   */
  then<const To extends string, const C extends string = never>(
    to: [Steps | Groups] extends [never] ? ThenNeedsAStep : To,
    options: BuilderTransitionOptions<C> = {},
  ): WorkflowBuilder<Steps, Groups, Targets | To, Members> {
    if (this.last === undefined) {
      throw new DefinitionError([{ path: 'transitions', message: `then("${to}") needs a step or group before it; add one with .step() or .parallel()` }], this.name);
    }
    return this.transition(this.last, to, options) as WorkflowBuilder<never, never, never, never>;
  }

  /**
   * Adds a parallel group (stored in the `{ name: [steps] }` form); its steps may be added later.
   * @throws DefinitionError when `name` was already added.
   */
  parallel<const Name extends string, const Step extends string>(
    name: NewId<Name, Steps | Groups>,
    steps: readonly Step[],
  ): WorkflowBuilder<Steps, Groups | Name, Targets, Members | Step> {
    this.assertNew(name, `parallel_groups.${name}`);
    this.groups[name] = [...steps];
    this.last = name;
    return this as WorkflowBuilder<never, never, never, never>;
  }

  /** Sets `error_handling`. */
  onFailure(mode: NonNullable<ErrorHandlingInput['on_failure']>, notificationChannels?: readonly string[]): this {
    this.extra.error_handling = { on_failure: mode, ...(notificationChannels ? { notification_channels: [...notificationChannels] } : {}) };
    return this;
  }

  /** Sets the whole-workflow deadline. */
  timeout<const D extends string = never>(duration: number | CheckedDuration<D>): this {
    this.extra.timeout = duration;
    return this;
  }

  /** Sets how long a finished instance is kept (`'30d'`), or `false` to keep it forever. */
  retention<const D extends string = never>(duration: number | CheckedDuration<D> | false): this {
    this.extra.retention = duration;
    return this;
  }

  /** Declares search attributes: name → dotted path into the data, e.g. `{ customer: 'customer.id' }`. */
  searchAttributes(attributes: Record<string, string>): this {
    this.extra.search_attributes = { ...attributes };
    return this;
  }

  /** Sets the JSON Schema the start data must match. */
  input(schema: Record<string, unknown>): this {
    this.extra.input = schema;
    return this;
  }

  /** Sets free-form metadata. */
  metadata(metadata: JsonObject): this {
    this.extra.metadata = metadata;
    return this;
  }

  /**
   * The definition as a plain object (a copy: later builder calls do not change it).
   * Does not compile while a transition or group names a step or group never added.
   */
  build(this: WorkflowBuilder<Steps, Groups, Targets, Members> & AllDeclared<Steps, Groups, Targets, Members>): WorkflowDefinitionInput {
    return this.toInput();
  }

  /**
   * `parseDefinition(this.build(), options)`. Does not compile while a transition or group names a
   * step or group never added. @throws DefinitionError listing every issue.
   */
  parse(
    this: WorkflowBuilder<Steps, Groups, Targets, Members> & AllDeclared<Steps, Groups, Targets, Members>,
    options?: ParseDefinitionOptions,
  ): WorkflowDefinition {
    return parseDefinition(this.toInput(), options);
  }

  private toInput(): WorkflowDefinitionInput {
    const { description, input, error_handling, timeout, metadata, retention, search_attributes } = this.extra;
    return cloneJson({
      name: this.name,
      version: this.version,
      description,
      input,
      steps: this.steps,
      transitions: this.transitions.length ? this.transitions : undefined,
      parallel_groups: Object.keys(this.groups).length ? this.groups : undefined,
      error_handling,
      timeout,
      metadata,
      retention,
      search_attributes,
    });
  }

  private assertNew(id: string, path: string): void {
    if (id in this.steps || id in this.groups) {
      throw new DefinitionError([{ path, message: `"${id}" is already a ${id in this.steps ? 'step' : 'parallel group'}; step ids and group names must be unique` }], this.name);
    }
  }
}

/**
 * Starts a {@link WorkflowBuilder} for workflow `name` (version defaults to `"1"` when parsed),
 * with no step or group yet, so the ids it is given are checked at compile time.
 */
export function workflow(name: string, version?: string): WorkflowBuilder<never, never, never, never> {
  return new WorkflowBuilder(name, version);
}
