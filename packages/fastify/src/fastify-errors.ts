/** Fastify's own errors (body parsing, validation), as the workflow API's errors. */
import { ErrorCode } from '@workflow-mastery/core';
import { HttpError, HttpErrorCode } from '@workflow-mastery/core/http';
import type { FastifyError } from 'fastify';
import { payloadTooLargeMessage, unsupportedMediaTypeMessage } from './fastify.messages.js';

/** The API error for `error`, or `error` itself when it is not one of Fastify's request errors. */
export function fromFastifyError(error: unknown, contentType: string | undefined, bodyLimit: number): unknown {
  if (error instanceof HttpError) return error;
  const e = error as Partial<FastifyError> | null;
  if (!e || typeof e !== 'object') return error;
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError(HttpErrorCode.UnsupportedMediaType, unsupportedMediaTypeMessage(contentType), undefined, { cause: error });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError(HttpErrorCode.PayloadTooLarge, payloadTooLargeMessage(bodyLimit), undefined, { cause: error });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError(HttpErrorCode.BadJson, e.message ?? 'Bad JSON', undefined, { cause: error });
  }
  if (Array.isArray(e.validation)) {
    // A schema error from a validator other than ours (a user-level compiler).
    const issues = e.validation.map((v) => ({ path: `${e.validationContext ?? 'request'}${(v.instancePath ?? '').replace(/\//g, '.')}`, message: v.message ?? 'is invalid' }));
    return new HttpError(ErrorCode.InputInvalid, e.message ?? 'Invalid request', { issues }, { cause: error });
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && typeof e.code === 'string' && e.code.startsWith('FST_')) {
    // Any other request error of Fastify's (a bad content-length, an empty content type...), by status.
    const code = e.statusCode === 413 ? HttpErrorCode.PayloadTooLarge : e.statusCode === 415 ? HttpErrorCode.UnsupportedMediaType : HttpErrorCode.BadRequest;
    return new HttpError(code, e.message ?? 'Bad request', undefined, { cause: error });
  }
  return error;
}
