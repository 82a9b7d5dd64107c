/**
 * The compile-time checks of the {@link WorkflowBuilder}: what a typed caller gets as a compile
 * error instead of a `DefinitionError` from `parse()`. Each check applies to literals only; a value
 * typed as plain `string` (a step id read from config, a duration from an environment variable)
 * is accepted here and checked by `parseDefinition` at run time, as it always was.
 */
import type { IsDurationString } from '../duration.js';
import type { StepDefinitionInput, TransitionInput } from './definition.types.js';

/** Options of a transition: everything but its endpoints. */
export type TransitionOptions = Omit<TransitionInput, 'from' | 'to'>;

/** Message a duration literal that is not one is checked against. */
export type NotADuration = 'not a duration: write a number of milliseconds or a string like 500ms, 30s, 2m, 1h, 2d, 1m30s';
/** Message an empty condition literal is checked against. */
export type EmptyCondition = 'a condition must not be empty: write an expression such as order.total > 100, or leave it out';
/** Message `then()` on a builder with no step or group yet is checked against. */
export type ThenNeedsAStep = 'then() needs a step or group before it: add one with .step() or .parallel()';

/** True when `S` is a string literal (not `string`, not a template pattern such as `${number}s`). */
type IsLiteral<S extends string> = {} extends Record<S, 1> ? false : true;
type Trim<S extends string> = S extends ` ${infer R}` | `\t${infer R}` | `\n${infer R}` | `\r${infer R}` ? Trim<R> : S extends `${infer R} ` | `${infer R}\t` | `${infer R}\n` | `${infer R}\r` ? Trim<R> : S;

/** `D` when it is a duration literal or a string not known at compile time, else {@link NotADuration}. */
export type CheckedDuration<D extends string> = D extends unknown
  ? IsLiteral<D> extends false ? D : IsDurationString<D> extends true ? D : NotADuration
  : never;

/** `C` unless it is a literal that is empty or only whitespace ({@link EmptyCondition}). */
export type CheckedCondition<C extends string> = C extends unknown
  ? IsLiteral<C> extends false ? C : Trim<C> extends '' ? EmptyCondition : C
  : never;

/** `Id`, or a message when it is already a step or group of the builder. */
export type NewId<Id extends string, Declared extends string> = string extends Declared
  ? Id
  : Id extends Declared ? `"${Id}" is already a step or parallel group: step ids and group names must be unique` : Id;

/** A step as {@link WorkflowBuilder.step} takes it: {@link StepDefinitionInput} with checked durations and conditions. */
export interface BuilderStepInput<D extends string = string, C extends string = string>
  extends Omit<StepDefinitionInput, 'timeout' | 'retry_delay' | 'retry_backoff' | 'conditions'> {
  /** Per-attempt timeout. */
  timeout?: number | CheckedDuration<D>;
  /** Delay before a retry. @defaultValue `1s` */
  retry_delay?: number | CheckedDuration<D>;
  /** Backoff between retries. @defaultValue `fixed` */
  retry_backoff?: 'fixed' | 'exponential' | { type: 'fixed' | 'exponential'; max_delay?: number | CheckedDuration<D> };
  /** Guards: every one must hold or the step is SKIPPED. */
  conditions?: readonly CheckedCondition<C>[];
}

/** Options of a transition as the builder takes them: {@link TransitionOptions} with a checked condition. */
export interface BuilderTransitionOptions<C extends string = string> extends Omit<TransitionOptions, 'condition'> {
  /** Expression over instance data; absent means "default". */
  condition?: CheckedCondition<C>;
}

/** The literal members of `T`: `string` itself is not checked at compile time. */
type Literals<T extends string> = T extends unknown ? (IsLiteral<T> extends true ? T : never) : never;

/** One message per id referenced but never added (targets must be steps or groups; group members, steps). */
export type Undeclared<Steps extends string, Groups extends string, Targets extends string, Members extends string> =
  | `unknown step or group "${Exclude<Literals<Targets>, Steps | Groups>}": add it with .step() or .parallel()`
  | `parallel group member "${Exclude<Literals<Members>, Steps>}" is not a step: add it with .step()`;

/**
 * What `build()` and `parse()` require of the builder they are called on: nothing when every
 * referenced id was added, else a property named after each missing one, so the compile error
 * reads "Property 'unknown step or group "x": add it with .step() or .parallel()' is missing".
 */
export type AllDeclared<Steps extends string, Groups extends string, Targets extends string, Members extends string> =
  [Undeclared<Steps, Groups, Targets, Members>] extends [never] ? unknown : { [K in Undeclared<Steps, Groups, Targets, Members>]: true };
