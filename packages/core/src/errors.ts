/**
 * Every error the engine raises is a {@link WorkflowError} with a stable `code` (all codes are in
 * {@link ErrorCode}, `error-codes.ts`), a message that says what to do, and the ids it is about.
 * The HTTP layer maps codes to status codes in one place (`http/http-errors.ts`).
 *
 * `instanceof` on these classes, and {@link isWorkflowError}, recognise errors raised by another
 * copy of `@workflow-mastery/core` in the same process (see `symbol-instanceof.ts`).
 */
import { ErrorCode, type ErrorCodeValue } from './error-codes.js';
import { errorMarker, hasErrorMarker, SymbolBasedInstanceOfError } from './symbol-instanceof.js';

export { ErrorCode, type ErrorCodeValue } from './error-codes.js';
export { SymbolBasedInstanceOfError } from './symbol-instanceof.js';

/** Marks every {@link WorkflowError}, whichever copy of core created it. */
const WORKFLOW_ERROR_MARKER = errorMarker('WorkflowError');

/**
 * Whether `value` is a {@link WorkflowError} from any copy of `@workflow-mastery/core` (checks the
 * `Symbol.for('@workflow-mastery/core.WorkflowError')` mark, not the prototype chain). Use it where
 * an error comes from outside your own code: a storage, an adapter, another package.
 */
export function isWorkflowError(value: unknown): value is WorkflowError {
  return hasErrorMarker(value, WORKFLOW_ERROR_MARKER);
}

/** Base class of every error the engine raises. */
@SymbolBasedInstanceOfError('WorkflowError')
export class WorkflowError extends Error {
  override readonly name: string = 'WorkflowError';
  constructor(
    /** Stable machine-readable code, e.g. `WF_DEFINITION_INVALID`. */
    readonly code: ErrorCodeValue,
    message: string,
    /** Structured details (paths, ids, allowed values) for API clients. */
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** A plain object fit for a JSON error body. */
  toJSON(): { code: string; message: string; details?: Record<string, unknown> } {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

/** One problem found in a definition, with the path of the offending value. */
export interface DefinitionIssue {
  /** Dotted path inside the definition, e.g. `steps.process_payment.retry_delay`. */
  path: string;
  /** What is wrong and what to write instead. */
  message: string;
}

/** A definition failed validation; `issues` lists every problem found, not just the first. */
@SymbolBasedInstanceOfError('DefinitionError')
export class DefinitionError extends WorkflowError {
  override readonly name = 'DefinitionError';
  constructor(
    readonly issues: DefinitionIssue[],
    readonly definitionName?: string,
  ) {
    super(
      ErrorCode.DefinitionInvalid,
      `Invalid workflow definition${definitionName ? ` "${definitionName}"` : ''}:\n` +
        issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'),
      { issues, ...(definitionName ? { definition: definitionName } : {}) },
    );
  }
}

/** A condition expression does not parse or uses something the language forbids. */
@SymbolBasedInstanceOfError('ExpressionError')
export class ExpressionError extends WorkflowError {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly expression: string,
    /** 0-based character offset of the problem, when known. */
    readonly index?: number,
  ) {
    super(ErrorCode.ExpressionInvalid, message, { expression, ...(index !== undefined ? { index } : {}) });
  }
}

/** The start data does not match the definition's `input` JSON Schema. Nothing was stored. */
@SymbolBasedInstanceOfError('InputValidationError')
export class InputValidationError extends WorkflowError {
  override readonly name = 'InputValidationError';
  constructor(
    readonly definitionName: string,
    readonly issues: DefinitionIssue[],
  ) {
    super(
      ErrorCode.InputInvalid,
      `Input for workflow "${definitionName}" is invalid:\n` +
        issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n'),
      { definition: definitionName, issues },
    );
  }
}

/** An instance, task or definition id that does not exist. */
@SymbolBasedInstanceOfError('NotFoundError')
export class NotFoundError extends WorkflowError {
  override readonly name = 'NotFoundError';
  constructor(
    readonly kind: 'instance' | 'definition' | 'task' | 'action',
    readonly id: string,
    hint?: string,
  ) {
    super(
      kind === 'definition' ? ErrorCode.DefinitionNotFound : ErrorCode.NotFound,
      `No ${kind} "${id}"${hint ? `: ${hint}` : '.'}`,
      { kind, id },
    );
  }
}

/** An operation that the instance's current state does not allow (e.g. resume a COMPLETED instance). */
@SymbolBasedInstanceOfError('IllegalTransitionError')
export class IllegalTransitionError extends WorkflowError {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly operation: string,
    readonly instanceId: string,
    readonly state: string,
    hint?: string,
  ) {
    super(
      ErrorCode.IllegalTransition,
      `Cannot ${operation} instance ${instanceId}: it is ${state}${hint ? `; ${hint}` : '.'}`,
      { operation, instanceId, state },
    );
  }
}

/** A compare-and-swap commit lost the race: the instance changed since it was read. */
@SymbolBasedInstanceOfError('ConcurrencyError')
export class ConcurrencyError extends WorkflowError {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly instanceId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super(
      ErrorCode.Concurrency,
      `Instance ${instanceId} was changed concurrently (expected version ${expectedVersion}, found ${actualVersion ?? 'none'}); re-read and retry.`,
      { instanceId, expectedVersion, actualVersion },
    );
  }
}

/** A step names an action that is not registered. */
@SymbolBasedInstanceOfError('ActionNotFoundError')
export class ActionNotFoundError extends WorkflowError {
  override readonly name = 'ActionNotFoundError';
  constructor(
    readonly actionName: string,
    known: string[],
  ) {
    super(
      ErrorCode.ActionNotFound,
      `No action registered as "${actionName}". Register it with engine.registerAction('${actionName}', ...) ` +
        `or @WorkflowAction('${actionName}')` +
        (known.length ? `; registered: ${known.slice(0, 20).join(', ')}.` : '; none are registered yet.'),
      { action: actionName },
    );
  }
}

/** Stored data that cannot be read back (bad JSON, missing fields). */
@SymbolBasedInstanceOfError('StorageCorruptError')
export class StorageCorruptError extends WorkflowError {
  override readonly name = 'StorageCorruptError';
  constructor(message: string, readonly location: string, options?: { cause?: unknown }) {
    super(ErrorCode.StorageCorrupt, `${message} (${location})`, { location }, options);
  }
}

/**
 * `start(..., { businessKey, uniqueBusinessKey: true })` while an unfinished instance of the same
 * definition has that business key. `details.instanceId` names it.
 */
@SymbolBasedInstanceOfError('BusinessKeyTakenError')
export class BusinessKeyTakenError extends WorkflowError {
  override readonly name = 'BusinessKeyTakenError';
  constructor(
    readonly definitionName: string,
    readonly businessKey: string,
    readonly instanceId: string,
  ) {
    super(
      ErrorCode.BusinessKeyTaken,
      `Business key "${businessKey}" of "${definitionName}" is taken by unfinished instance ${instanceId}; wait until it finishes, cancel it, or start without uniqueBusinessKey.`,
      { definitionName, businessKey, instanceId },
    );
  }
}
