/** Validation and compilation of one step (`steps.<id>`). */
import { durationMessage, parseDurationOrUndefined } from '../duration.js';
import { ExpressionError } from '../errors.js';
import { compileExpression } from '../expression/expression-compiler.js';
import type { CompiledExpression, ExpressionOptions } from '../expression/expression.types.js';
import type { JsonObject, RetryPolicy, StepDefinition } from './definition.types.js';
import { checkJson, checkKeys, cloneJson, definedEntries, isPlainObject, type IssueList } from './parse-util.js';

/** Keys a step may have. */
export const STEP_KEYS = [
  'action',
  'config',
  'timeout',
  'retry_attempts',
  'retry_delay',
  'retry_backoff',
  'compensation',
  'conditions',
  'assigned_to',
  'async',
  'metadata',
] as const;

/** Delay before a retry when `retry_delay` is not written. */
export const DEFAULT_RETRY_DELAY_MS = 1_000;
/** Cap of an exponential delay, as a multiple of the delay, when `max_delay` is not written (Temporal's ratio). */
export const DEFAULT_MAX_DELAY_FACTOR = 100;

/** Options shared by the parser's parts. */
export interface ParseContext {
  issues: IssueList;
  expressionOptions?: ExpressionOptions;
  resolveActionName?: (ref: Function) => string | undefined;
}

/** Compiles an expression, reporting a parse error at `path`. */
export function compileAt(source: unknown, path: string, ctx: ParseContext): CompiledExpression | undefined {
  if (typeof source !== 'string' || source.trim() === '') {
    ctx.issues.add(path, `a condition must be a non-empty expression string, e.g. "order.valid === true"; got ${JSON.stringify(source) ?? typeof source}`);
    return undefined;
  }
  try {
    return compileExpression(source, ctx.expressionOptions);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    ctx.issues.add(path, `condition ${JSON.stringify(source)} is invalid: ${error.message}`);
    return undefined;
  }
}

/** Resolves an action reference (name, class or function) to its registered name. */
export function resolveAction(ref: unknown, path: string, ctx: ParseContext): string | undefined {
  if (typeof ref === 'string') {
    if (ref.trim() !== '') return ref;
  } else if (typeof ref === 'function') {
    const name = ctx.resolveActionName?.(ref);
    if (typeof name === 'string' && name !== '') return name;
    ctx.issues.add(
      path,
      `action class ${ref.name || '(anonymous)'} has no registered name; decorate it with @WorkflowAction('name') or register it`,
    );
    return undefined;
  }
  ctx.issues.add(path, `must be a registered action name (e.g. "validate_order") or an action class/function; got ${JSON.stringify(ref) ?? typeof ref}`);
  return undefined;
}

function durationAt(value: unknown, path: string, issues: IssueList): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDurationOrUndefined(value);
  if (ms === undefined) issues.add(path, durationMessage(value));
  return ms;
}

function objectAt(value: unknown, path: string, issues: IssueList): JsonObject | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) {
    issues.add(path, `must be an object (key: value pairs); got ${Array.isArray(value) ? 'an array' : JSON.stringify(value) ?? typeof value}`);
    return undefined;
  }
  return checkJson(value, path, issues) ? (cloneJson(value) as JsonObject) : undefined;
}

function parseRetry(raw: Record<string, unknown>, path: string, issues: IssueList): RetryPolicy | undefined {
  const { retry_attempts: attempts, retry_delay: delay, retry_backoff: backoff } = raw;
  if (attempts === undefined && delay === undefined && backoff === undefined) return undefined;
  if (attempts !== undefined && !(Number.isInteger(attempts) && (attempts as number) >= 0)) {
    issues.add(`${path}.retry_attempts`, `must be a whole number ≥ 0 (retries after the first try); got ${JSON.stringify(attempts) ?? typeof attempts}`);
  }
  const delayMs = durationAt(delay, `${path}.retry_delay`, issues) ?? DEFAULT_RETRY_DELAY_MS;
  let type: 'fixed' | 'exponential' = 'fixed';
  let maxDelayMs: number | undefined;
  const backoffPath = `${path}.retry_backoff`;
  if (backoff === 'fixed' || backoff === 'exponential') type = backoff;
  else if (isPlainObject(backoff)) {
    checkKeys(backoff, ['type', 'max_delay'], backoffPath, issues);
    if (backoff.type === 'fixed' || backoff.type === 'exponential') type = backoff.type;
    else issues.add(`${backoffPath}.type`, `must be "fixed" or "exponential"; got ${JSON.stringify(backoff.type) ?? 'nothing'}`);
    maxDelayMs = durationAt(backoff.max_delay, `${backoffPath}.max_delay`, issues);
    if (maxDelayMs !== undefined && maxDelayMs < delayMs) {
      issues.add(`${backoffPath}.max_delay`, `must be at least retry_delay (${delayMs}ms); it caps the growing delay`);
    }
  } else if (backoff !== undefined) {
    issues.add(backoffPath, `must be "fixed", "exponential" or { type: "exponential", max_delay: "5m" }; got ${JSON.stringify(backoff) ?? typeof backoff}`);
  }
  return {
    attempts: typeof attempts === 'number' ? attempts : 0,
    delayMs,
    backoff: type,
    maxDelayMs: maxDelayMs ?? DEFAULT_MAX_DELAY_FACTOR * delayMs,
  };
}

function parseConditions(value: unknown, path: string, ctx: ParseContext): CompiledExpression[] {
  if (value === undefined) return [];
  if (typeof value === 'string') {
    ctx.issues.add(path, `must be an array of expressions; wrap it: conditions: [${JSON.stringify(value)}]`);
    return [];
  }
  if (!Array.isArray(value)) {
    ctx.issues.add(path, `must be an array of expression strings, e.g. ["order.total > 1000"]`);
    return [];
  }
  return value.flatMap((source, i) => compileAt(source, `${path}[${i}]`, ctx) ?? []);
}

/**
 * Validates `steps.<id>` and compiles it. Issues go to `ctx.issues`; the result is only meaningful
 * when none were added.
 */
export function parseStep(id: string, raw: unknown, ctx: ParseContext): StepDefinition | undefined {
  const path = `steps.${id}`;
  const { issues } = ctx;
  if (!isPlainObject(raw)) {
    issues.add(path, `a step must be an object like { action: "validate_order" }; got ${Array.isArray(raw) ? 'an array' : JSON.stringify(raw) ?? typeof raw}`);
    return undefined;
  }
  checkKeys(raw, STEP_KEYS, path, issues);
  let action: string | undefined;
  if (raw.action === undefined) issues.add(`${path}.action`, `is required: the registered name of the action to run, e.g. action: "validate_order"`);
  else action = resolveAction(raw.action, `${path}.action`, ctx);
  const compensation = raw.compensation === undefined ? undefined : resolveAction(raw.compensation, `${path}.compensation`, ctx);
  const config = objectAt(raw.config, `${path}.config`, issues) ?? {};
  objectAt(raw.metadata, `${path}.metadata`, issues);
  const timeoutMs = durationAt(raw.timeout, `${path}.timeout`, issues);
  const retry = parseRetry(raw, path, issues);
  const conditions = parseConditions(raw.conditions, `${path}.conditions`, ctx);
  const assignedTo = raw.assigned_to;
  if (assignedTo !== undefined && (typeof assignedTo !== 'string' || assignedTo.trim() === '')) {
    issues.add(`${path}.assigned_to`, `must be a non-empty string naming the role or user the task is assigned to, e.g. "manager_role"`);
  }
  if (raw.async !== undefined && typeof raw.async !== 'boolean') {
    issues.add(`${path}.async`, `must be true or false; got ${JSON.stringify(raw.async) ?? typeof raw.async}`);
  }
  if (action === undefined) return undefined;
  return {
    id,
    action,
    config,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(retry ? { retry } : {}),
    ...(compensation !== undefined ? { compensation } : {}),
    conditions,
    ...(typeof assignedTo === 'string' ? { assignedTo } : {}),
    async: raw.async === true,
  };
}

/** The step as stored: `action`/`compensation` replaced by their names, a JSON deep copy. */
export function stepSource(raw: Record<string, unknown>, step: StepDefinition): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of definedEntries(raw)) {
    if (key === 'action') copy[key] = step.action;
    else if (key === 'compensation') copy[key] = step.compensation;
    else copy[key] = cloneJson(value);
  }
  return copy;
}
