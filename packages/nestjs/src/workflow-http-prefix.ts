/** The `http.prefix` option, checked and normalized. */
import { HTTP_PREFIX_INVALID } from './workflow.messages.js';
import { WorkflowModuleConfigError } from './workflow-module-config.error.js';

/** Normalize and check `http.prefix`: no leading or trailing slash, no `?`, `#` or whitespace. */
export function normalizePrefix(prefix: unknown): string {
  if (prefix === undefined) return '';
  if (typeof prefix !== 'string' || /[?#\s]/.test(prefix)) throw new WorkflowModuleConfigError(HTTP_PREFIX_INVALID(prefix));
  return prefix.replace(/^\/+|\/+$/g, '');
}
