/**
 * The one place where error codes become HTTP status codes, and every failure becomes
 * `{ error: { code, message, details? } }`.
 */
import { ErrorCode, isWorkflowError, SymbolBasedInstanceOfError, WorkflowError, type ErrorCodeValue } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WorkflowHttpResponse } from './http.types.js';

/**
 * The codes the HTTP layer itself raises, a view of {@link ErrorCode} kept for adapters written
 * against it (the values are ErrorCode's; there is no second list).
 */
export const HttpErrorCode = {
  Unauthenticated: ErrorCode.Unauthenticated,
  Forbidden: ErrorCode.Forbidden,
  BadJson: ErrorCode.BadJson,
  BadRequest: ErrorCode.BadRequest,
  PayloadTooLarge: ErrorCode.PayloadTooLarge,
  UnsupportedMediaType: ErrorCode.UnsupportedMediaType,
  RouteNotFound: ErrorCode.RouteNotFound,
  MethodNotAllowed: ErrorCode.MethodNotAllowed,
  Unavailable: ErrorCode.Unavailable,
  Internal: ErrorCode.Internal,
} as const satisfies Record<string, ErrorCodeValue>;

/** One of {@link HttpErrorCode}'s values. */
export type HttpErrorCodeValue = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** Status of every known code. Codes not listed are answered 500. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.DefinitionNotFound]: 404,
  [ErrorCode.DefinitionConflict]: 409,
  [ErrorCode.BusinessKeyTaken]: 409,
  [ErrorCode.IllegalTransition]: 409,
  [ErrorCode.Concurrency]: 409,
  [ErrorCode.InputInvalid]: 400,
  [ErrorCode.DefinitionInvalid]: 400,
  [ErrorCode.ExpressionInvalid]: 400,
  [ErrorCode.EngineClosed]: 503,
  [ErrorCode.StorageLocked]: 503,
  [ErrorCode.QueueUnavailable]: 503,
  [ErrorCode.BadJson]: 400,
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.RouteNotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
};

/**
 * An error the HTTP layer raises (or an adapter translates a framework error into). It is a
 * {@link WorkflowError}, so code that handles engine errors handles these too.
 */
@SymbolBasedInstanceOfError('HttpError')
export class HttpError extends WorkflowError {
  override readonly name = 'HttpError';
  constructor(
    /** A code of {@link ErrorCode} that {@link statusOf} knows (e.g. `ErrorCode.BadJson`). */
    code: ErrorCodeValue,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, details, options);
  }
}

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** HTTP status of an error code: 500 for a code it does not know. */
export function statusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/**
 * The JSON error response for `error`. Engine errors and {@link HttpError}s with a known code keep
 * their code, message and details (a 5xx among them is logged as a warning); anything else is
 * logged on `logger` as an error and answered 500 with a generic message (internals never leak to clients).
 */
export function toErrorResponse(error: unknown, logger: Logger): WorkflowHttpResponse {
  // isWorkflowError, not instanceof: the error may come from another copy of core (an adapter's).
  if (isWorkflowError(error) && STATUS_BY_CODE[error.code] !== undefined) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    const status = statusOf(error.code);
    // A known 5xx (storage locked, engine closed, not ready) is logged once with its cause; a 4xx is the client's, never logged.
    if (status >= 500) logger.warn({ err: error, code: error.code }, `workflow HTTP API answered ${status} ${error.code}: ${error.message}`);
    return { status, body };
  }
  logger.error({ err: error }, 'unexpected error in the workflow HTTP API');
  return {
    status: 500,
    body: { error: { code: ErrorCode.Internal, message: 'Internal server error; the details are in the server log.' } } satisfies ErrorBody,
  };
}
