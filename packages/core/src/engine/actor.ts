/** Who does something to an instance, as callers name it and as the history keeps it. */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { Audit } from './decide/index.js';

/** Who does something: a user id, or one with the address the request came from. */
export type Actor = string | { id: string; address?: string };

/** @internal The history's `by` and `from` of an actor. */
export function audit(actor: Actor | undefined): Audit {
  if (actor === undefined) return {};
  if (typeof actor === 'string') return actor ? { by: actor } : {};
  return { ...(actor.id ? { by: actor.id } : {}), ...(actor.address ? { from: actor.address } : {}) };
}

/** @internal Task operations need a user. @throws WorkflowError `WF_INPUT_INVALID` */
export function requireUser(by: string | undefined, op: string): void {
  if (typeof by !== 'string' || by.trim() === '') {
    throw new WorkflowError(ErrorCode.InputInvalid, `${op}(taskId, ..., by): say who does it (a user id), e.g. ${op}(id, { approved: true }, 'alice').`);
  }
}
