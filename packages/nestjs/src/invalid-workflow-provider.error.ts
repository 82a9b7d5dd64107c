/** A provider that carries a workflow decorator but cannot serve as one. */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';

/**
 * A `@WorkflowAction`, `@OnWorkflowEvent` or `@WorkflowDefinitionProvider()` provider the module
 * refuses (request-scoped, transient, no `execute`...). Raised while the application starts.
 */
export class InvalidWorkflowProviderError extends WorkflowError {
  override readonly name = 'InvalidWorkflowProviderError';
  constructor(
    message: string,
    /** Name of the offending class. */
    readonly provider: string,
  ) {
    super(ErrorCode.ActionInvalid, message, { provider });
  }
}
