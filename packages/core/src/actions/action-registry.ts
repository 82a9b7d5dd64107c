/** Actions by name: functions, instances and classes (built once, by a factory when given). */
import { ActionNotFoundError, ErrorCode, WorkflowError } from '../errors.js';
import type { ActionClass, ActionFunction, ActionHandler, ActionImplementation, ActionOptions } from './action.types.js';
import { getWorkflowActionMetadata } from './workflow-action.decorator.js';

/** Builds an action class; a DI container's `get` fits here. */
export type ActionFactory = (cls: ActionClass) => ActionHandler;

/** A resolved action. */
export interface RegisteredAction {
  name: string;
  handler: ActionHandler;
  options: ActionOptions;
}

interface Entry {
  name: string;
  impl: ActionImplementation;
  options: ActionOptions;
  factory?: ActionFactory;
  handler?: ActionHandler;
}

/** True when `impl` is a class with an `execute` method on its prototype. */
export function isActionClass(impl: unknown): impl is ActionClass {
  return typeof impl === 'function' && typeof (impl.prototype as { execute?: unknown } | undefined)?.execute === 'function';
}

/** The registry of actions the engine can run. */
export class ActionRegistry {
  private readonly byName = new Map<string, Entry>();
  private readonly byRef = new Map<unknown, string>();

  constructor(private readonly defaultFactory?: ActionFactory) {}

  /** Register `impl` under `name`; registering a name twice replaces it. */
  register(name: string, impl: ActionImplementation, options: ActionOptions = {}, factory?: ActionFactory): void {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new WorkflowError(ErrorCode.ActionInvalid, 'registerAction(name, action): name must be a non-empty string');
    }
    const valid =
      typeof impl === 'function' ||
      (typeof impl === 'object' && impl !== null && typeof (impl as ActionHandler).execute === 'function');
    if (!valid) {
      throw new WorkflowError(
        ErrorCode.ActionInvalid,
        `Action "${name}" must be a function, a class with an execute(ctx) method, or an object with one.`,
        { action: name },
      );
    }
    if (typeof impl === 'function' && !isActionClass(impl) && /^class[\s{]/.test(Function.prototype.toString.call(impl))) {
      throw new WorkflowError(
        ErrorCode.ActionInvalid,
        `Action "${name}": class ${impl.name || '(anonymous)'} has no execute(ctx) method; declare execute as a method (not an arrow-function field).`,
        { action: name },
      );
    }
    const meta = getWorkflowActionMetadata(impl);
    this.byName.set(name, { name, impl, options: { ...meta?.options, ...options }, factory });
    if (typeof impl === 'function' || typeof impl === 'object') this.byRef.set(impl, name);
  }

  /** Register classes decorated with `@WorkflowAction`, reading names and options from it. */
  registerClasses(classes: ActionClass[], factory?: ActionFactory): void {
    for (const cls of classes) {
      const meta = getWorkflowActionMetadata(cls);
      if (!meta) {
        throw new WorkflowError(
          ErrorCode.ActionInvalid,
          `Class ${cls.name || '(anonymous)'} has no @WorkflowAction('name') decorator; decorate it or use registerAction(name, ${cls.name || 'cls'}).`,
        );
      }
      this.register(meta.name, cls, meta.options, factory);
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The name a class, function or instance was registered (or decorated) with. */
  nameOf(ref: unknown): string | undefined {
    return this.byRef.get(ref) ?? getWorkflowActionMetadata(ref)?.name;
  }

  /** Options registered for `name` (empty when unknown). */
  optionsOf(name: string): ActionOptions {
    return this.byName.get(name)?.options ?? {};
  }

  /** Resolve `name`, building a class on first use. */
  resolve(name: string): RegisteredAction {
    const entry = this.byName.get(name);
    if (!entry) throw new ActionNotFoundError(name, this.names());
    if (!entry.handler) entry.handler = this.build(entry);
    return { name, handler: entry.handler, options: entry.options };
  }

  private build(entry: Entry): ActionHandler {
    const impl = entry.impl;
    if (isActionClass(impl)) {
      const factory = entry.factory ?? this.defaultFactory;
      return factory ? factory(impl) : new impl();
    }
    if (typeof impl === 'function') {
      const fn = impl as ActionFunction;
      return { execute: (ctx) => fn(ctx) };
    }
    return impl;
  }
}
