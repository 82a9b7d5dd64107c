/** A typed fluent builder for the storable definition format. */
import type { Duration } from '../duration.js';
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

/** Options of a transition: everything but its endpoints. */
export type TransitionOptions = Omit<TransitionInput, 'from' | 'to'>;

/**
 * Builds a {@link WorkflowDefinitionInput}: exactly the structure you would write by hand, so it
 * can be stored, diffed and parsed like any other. Validation happens in {@link WorkflowBuilder.parse}
 * (or `parseDefinition`); the builder itself only rejects what the object form cannot express
 * (a step or group added twice, `then()` with nothing before it).
 *
 * @example
 * const def = workflow('order_processing', '2.0')
 *   .step('validate_order', { action: 'validate_order', timeout: '30s', retry_attempts: 3 })
 *   .then('check_fraud', { condition: 'order.valid === true' })
 *   .step('check_fraud', { action: FraudCheck })
 *   .build();
 */
export class WorkflowBuilder {
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
  step(id: string, definition: StepDefinitionInput): this {
    this.assertNew(id, `steps.${id}`);
    this.steps[id] = definition;
    this.last = id;
    return this;
  }

  /** Adds a transition between two steps or groups. */
  transition(from: string, to: string, options: TransitionOptions = {}): this {
    this.transitions.push({ from, to, ...options });
    return this;
  }

  /**
   * Adds a transition from the last added step or group to `to` (which may be added later).
   * @throws DefinitionError when nothing was added yet.
   */
  then(to: string, options: TransitionOptions = {}): this {
    if (this.last === undefined) {
      throw new DefinitionError([{ path: 'transitions', message: `then("${to}") needs a step or group before it; add one with .step() or .parallel()` }], this.name);
    }
    return this.transition(this.last, to, options);
  }

  /** Adds a parallel group (stored in the `{ name: [steps] }` form). @throws DefinitionError when `name` was already added. */
  parallel(name: string, steps: readonly string[]): this {
    this.assertNew(name, `parallel_groups.${name}`);
    this.groups[name] = [...steps];
    this.last = name;
    return this;
  }

  /** Sets `error_handling`. */
  onFailure(mode: NonNullable<ErrorHandlingInput['on_failure']>, notificationChannels?: readonly string[]): this {
    this.extra.error_handling = { on_failure: mode, ...(notificationChannels ? { notification_channels: [...notificationChannels] } : {}) };
    return this;
  }

  /** Sets the whole-workflow deadline. */
  timeout(duration: Duration): this {
    this.extra.timeout = duration;
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

  /** The definition as a plain object (a copy: later builder calls do not change it). */
  build(): WorkflowDefinitionInput {
    const { description, input, error_handling, timeout, metadata } = this.extra;
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
    });
  }

  /** `parseDefinition(this.build(), options)`. @throws DefinitionError listing every issue. */
  parse(options?: ParseDefinitionOptions): WorkflowDefinition {
    return parseDefinition(this.build(), options);
  }

  private assertNew(id: string, path: string): void {
    if (id in this.steps || id in this.groups) {
      throw new DefinitionError([{ path, message: `"${id}" is already a ${id in this.steps ? 'step' : 'parallel group'}; step ids and group names must be unique` }], this.name);
    }
  }
}

/** Starts a {@link WorkflowBuilder} for workflow `name` (version defaults to `"1"` when parsed). */
export function workflow(name: string, version?: string): WorkflowBuilder {
  return new WorkflowBuilder(name, version);
}
