/**
 * The workflow controller's exception filter: every error of its routes, an engine or HTTP error,
 * a guard's `HttpException` or a bug, becomes the API's `{ error: { code, message, details? } }`.
 * Interceptors of the app see the error first (it is thrown through Nest's pipeline).
 */
import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ErrorCode } from '@workflow-mastery/core';
import { HttpError, type WorkflowApi } from '@workflow-mastery/core/http';
import { WORKFLOW_HTTP_API } from './workflow.constants.js';

/** Code of a Nest `HttpException` (a guard's 401/403, a pipe's 400) by its status. */
const CODE_BY_STATUS: Readonly<Record<number, string>> = {
  400: ErrorCode.BadRequest,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.RouteNotFound,
  405: ErrorCode.MethodNotAllowed,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  503: ErrorCode.Unavailable,
};

/** `error` as core knows it: a Nest `HttpException` below 500 becomes the matching {@link HttpError}. */
export function toWorkflowError(error: unknown): unknown {
  if (!(error instanceof HttpException)) return error;
  const code = CODE_BY_STATUS[error.getStatus()];
  return code ? new HttpError(code as never, error.message, undefined, { cause: error }) : error;
}

@Catch()
export class WorkflowExceptionFilter implements ExceptionFilter {
  constructor(
    @Inject(WORKFLOW_HTTP_API) private readonly api: WorkflowApi,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    // Logs a 5xx once, with its cause; a 4xx is not logged.
    const out = this.api.errorResponse(toWorkflowError(error));
    const response: unknown = host.switchToHttp().getResponse();
    // A refused body may still be arriving: close the connection after the answer instead of
    // reading megabytes nobody wants (and so a server closing does not wait for that upload).
    if (out.status === 413) this.adapterHost.httpAdapter.setHeader(response, 'connection', 'close');
    this.adapterHost.httpAdapter.reply(response, out.body, out.status);
  }
}
