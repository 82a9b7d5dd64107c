/**
 * Operator controls: retry from a step, skip a step, update the data. Each is one decision (one
 * commit) with the operator in its history event. A control the instance's state forbids throws
 * {@link IllegalTransitionError}; nothing is recorded then.
 */
import { ErrorCode, WorkflowError } from '../../errors.js';
import type { InstanceRecord } from '../../model/instance.types.js';
import type { DecideEnv, Decision, DecisionInput } from './types.js';

/** TO BE WRITTEN (issue #15, item 4). */
export function operatorCommand(
  _env: DecideEnv,
  _instance: InstanceRecord,
  input: Extract<DecisionInput, { type: 'retry_from' | 'skip_step' | 'update_data' }>,
): Decision {
  throw new WorkflowError(ErrorCode.InputInvalid, `${input.type} is not written yet`);
}
