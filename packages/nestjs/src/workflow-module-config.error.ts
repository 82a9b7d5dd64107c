/** Module options that cannot work. */
import { ErrorCode, WorkflowError } from '@workflow-mastery/core';

/** `WorkflowModule` options are wrong or need a package that is not installed. Raised while the application starts. */
export class WorkflowModuleConfigError extends WorkflowError {
  override readonly name = 'WorkflowModuleConfigError';
  constructor(message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(ErrorCode.InputInvalid, message, details, options);
  }
}
