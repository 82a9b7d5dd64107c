/**
 * The one place where error codes become HTTP status codes, and every failure becomes
 * `{ error: { code, message, details? } }`.
 */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { WorkflowHttpResponse } from './http.types.js';

/** Codes of errors raised by the HTTP layer itself (the engine's are in {@link ErrorCode}). */
export const HttpErrorCode = {
  /** No principal: the `principal(req)` hook returned nothing. */
  Unauthenticated: 'WF_UNAUTHENTICATED',
  /** `authorize` refused. */
  Forbidden: 'WF_FORBIDDEN',
  /** The body is not JSON. */
  BadJson: 'WF_BAD_JSON',
  /** Any other malformed request a framework refused (bad content length, aborted body...). */
  BadRequest: 'WF_BAD_REQUEST',
  /** The body is larger than the adapter's limit. */
  PayloadTooLarge: 'WF_PAYLOAD_TOO_LARGE',
  /** A body that is not `application/json`. */
  UnsupportedMediaType: 'WF_UNSUPPORTED_MEDIA_TYPE',
  /** No such route. */
  RouteNotFound: 'WF_ROUTE_NOT_FOUND',
  /** `GET /health`: storage did not answer. */
  Unavailable: 'WF_UNAVAILABLE',
  /** Anything unexpected; details are logged, never sent. */
  Internal: 'WF_INTERNAL',
} as const;

/** One of {@link HttpErrorCode}'s values. */
export type HttpErrorCodeValue = (typeof HttpErrorCode)[keyof typeof HttpErrorCode];

/** Status of every known code. Codes not listed are answered 500. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.DefinitionNotFound]: 404,
  [ErrorCode.IllegalTransition]: 409,
  [ErrorCode.Concurrency]: 409,
  [ErrorCode.InputInvalid]: 400,
  [ErrorCode.DefinitionInvalid]: 400,
  [ErrorCode.ExpressionInvalid]: 400,
  [ErrorCode.EngineClosed]: 503,
  [ErrorCode.StorageLocked]: 503,
  [ErrorCode.QueueUnavailable]: 503,
  [HttpErrorCode.BadJson]: 400,
  [HttpErrorCode.BadRequest]: 400,
  [HttpErrorCode.Unauthenticated]: 401,
  [HttpErrorCode.Forbidden]: 403,
  [HttpErrorCode.RouteNotFound]: 404,
  [HttpErrorCode.PayloadTooLarge]: 413,
  [HttpErrorCode.UnsupportedMediaType]: 415,
  [HttpErrorCode.Unavailable]: 503,
  [HttpErrorCode.Internal]: 500,
};

/** An error the HTTP layer raises (or an adapter translates a framework error into). */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    /** A code of {@link HttpErrorCode} or {@link ErrorCode}. */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
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
 * their code, message and details; anything else is logged on `logger` and answered 500 with a
 * generic message (internals never leak to clients).
 */
export function toErrorResponse(error: unknown, logger: Logger): WorkflowHttpResponse {
  if ((error instanceof WorkflowError || error instanceof HttpError) && STATUS_BY_CODE[error.code] !== undefined) {
    const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
    return { status: statusOf(error.code), body };
  }
  logger.error({ err: error }, 'unexpected error in the workflow HTTP API');
  return {
    status: 500,
    body: { error: { code: HttpErrorCode.Internal, message: 'Internal server error; the details are in the server log.' } } satisfies ErrorBody,
  };
}
