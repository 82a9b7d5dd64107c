/**
 * Every error the engine raises is a {@link WorkflowError} with a stable `code`, a message that
 * says what to do, and the ids it is about. The HTTP layer maps codes to status codes in one place.
 */

/** Stable error codes. New codes may be added; existing ones never change meaning. */
export const ErrorCode = {
  DefinitionInvalid: 'WF_DEFINITION_INVALID',
  DefinitionNotFound: 'WF_DEFINITION_NOT_FOUND',
  ExpressionInvalid: 'WF_EXPRESSION_INVALID',
  InputInvalid: 'WF_INPUT_INVALID',
  NotFound: 'WF_NOT_FOUND',
  IllegalTransition: 'WF_ILLEGAL_TRANSITION',
  Concurrency: 'WF_CONCURRENCY',
  ActionNotFound: 'WF_ACTION_NOT_FOUND',
  ActionInvalid: 'WF_ACTION_INVALID',
  StorageCorrupt: 'WF_STORAGE_CORRUPT',
  StorageLocked: 'WF_STORAGE_LOCKED',
  EngineClosed: 'WF_ENGINE_CLOSED',
  Timeout: 'WF_TIMEOUT',
  StorageUnavailable: 'WF_STORAGE_UNAVAILABLE',
  /** The work queue (Redis behind BullMQ) cannot be reached. */
  QueueUnavailable: 'WF_QUEUE_UNAVAILABLE',
  PayloadTooLarge: 'WF_PAYLOAD_TOO_LARGE',
  EncryptionKeyMissing: 'WF_ENCRYPTION_KEY_MISSING',
  DecryptionFailed: 'WF_DECRYPTION_FAILED',
  Unauthenticated: 'WF_UNAUTHENTICATED',
  Forbidden: 'WF_FORBIDDEN',
  /** Recorded on an instance: no transition from a step matched and none is the default. */
  NoRoute: 'WF_NO_ROUTE',
  /** Recorded on a step: its child workflow could not start, or ended FAILED or CANCELLED. */
  ChildFailed: 'WF_CHILD_FAILED',
  /** Recorded on a cancelled instance (the value predates the `WF_` prefix; kept for stored records). */
  Cancelled: 'CANCELLED',
  /** An attempt stopped by a cancel, a join or shutdown (never recorded as a step result). */
  Aborted: 'WF_ABORTED',
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error the engine raises. */
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
export class StorageCorruptError extends WorkflowError {
  override readonly name = 'StorageCorruptError';
  constructor(message: string, readonly location: string, options?: { cause?: unknown }) {
    super(ErrorCode.StorageCorrupt, `${message} (${location})`, { location }, options);
  }
}
