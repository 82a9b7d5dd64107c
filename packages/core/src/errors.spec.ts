/**
 * Errors are recognised across copies of `@workflow-mastery/core` (two versions installed, a
 * bundler duplicating it): `instanceof` and `isWorkflowError` check a registered symbol, not the
 * prototype chain.
 */
import { describe, expect, it } from '@jest/globals';
import {
  ConcurrencyError,
  DefinitionError,
  ErrorCode,
  isWorkflowError,
  NotFoundError,
  StorageCorruptError,
  WorkflowError,
} from './errors.js';
import { HttpError, statusOf, toErrorResponse } from './http/http-errors.js';
import { silentLogger } from './logger.js';

type ErrorsModule = typeof import('./errors.js');

/**
 * A second, independent copy of the errors module: the built file imported under another URL
 * (`?copy=2`), so it is evaluated again and defines its own classes.
 */
async function secondCopy(): Promise<ErrorsModule> {
  const url = new URL('../dist/errors.js?copy=2', import.meta.url);
  return (await import(url.href)) as ErrorsModule;
}

describe('WorkflowError', () => {
  it('has every code in one list, each value once', () => {
    const values = Object.values(ErrorCode);
    expect(new Set(values).size).toBe(values.length);
    expect(ErrorCode).toMatchObject({ BadJson: 'WF_BAD_JSON', Internal: 'WF_INTERNAL', EncryptionKeyMissing: 'WF_ENCRYPTION_KEY_MISSING' });
  });

  it('HttpError is a WorkflowError', () => {
    const error = new HttpError(ErrorCode.BadJson, 'Body is not JSON; send application/json.');
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toBeInstanceOf(HttpError);
    expect(isWorkflowError(error)).toBe(true);
    expect(error.toJSON()).toEqual({ code: 'WF_BAD_JSON', message: 'Body is not JSON; send application/json.' });
  });

  it('instanceof keeps its meaning within one copy', () => {
    const notFound = new NotFoundError('instance', 'i-1');
    expect(notFound).toBeInstanceOf(WorkflowError);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).not.toBeInstanceOf(ConcurrencyError);
    expect(new WorkflowError(ErrorCode.Timeout, 'late')).not.toBeInstanceOf(NotFoundError);
    expect(isWorkflowError(new Error('plain'))).toBe(false);
    expect(isWorkflowError({ code: ErrorCode.NotFound, message: 'look-alike' })).toBe(false);
    expect(isWorkflowError(null)).toBe(false);
    expect(isWorkflowError('WF_NOT_FOUND')).toBe(false);
  });

  it('a subclass outside core keeps prototype semantics', () => {
    class AppError extends WorkflowError {}
    const app = new AppError(ErrorCode.InputInvalid, 'bad');
    expect(app).toBeInstanceOf(AppError);
    expect(app).toBeInstanceOf(WorkflowError);
    expect(new WorkflowError(ErrorCode.InputInvalid, 'bad')).not.toBeInstanceOf(AppError);
  });

  it('is recognised across two copies of core, both ways', async () => {
    const other = await secondCopy();
    expect(other.WorkflowError).not.toBe(WorkflowError);

    const theirs = new other.NotFoundError('instance', 'i-2');
    expect(theirs).toBeInstanceOf(WorkflowError);
    expect(theirs).toBeInstanceOf(NotFoundError);
    expect(theirs).not.toBeInstanceOf(DefinitionError);
    expect(isWorkflowError(theirs)).toBe(true);

    const ours = new StorageCorruptError('bad JSON', 'row 3');
    expect(ours).toBeInstanceOf(other.WorkflowError);
    expect(ours).toBeInstanceOf(other.StorageCorruptError);
    expect(ours).not.toBeInstanceOf(other.ConcurrencyError);
    expect(other.isWorkflowError(ours)).toBe(true);
  });

  it("the HTTP layer maps another copy's error to its status, not 500", async () => {
    const other = await secondCopy();
    const out = toErrorResponse(new other.NotFoundError('instance', 'i-3'), silentLogger);
    expect(out.status).toBe(404);
    expect(out.status).toBe(statusOf(ErrorCode.NotFound));
    expect(out.body).toEqual({ error: { code: 'WF_NOT_FOUND', message: 'No instance "i-3".', details: { kind: 'instance', id: 'i-3' } } });
  });
});
