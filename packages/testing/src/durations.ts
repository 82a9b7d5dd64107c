/** The durations `advance` accepts: those of definitions (`30s`, `2d`, `1h30m`) or milliseconds. */
import { ErrorCode, isDuration, parseDuration, WorkflowError, type Duration } from '@workflow-mastery/core';

const FORMS = 'a number of milliseconds (0 or more) or a duration string as in definitions: "500ms", "30s", "2m", "1h", "2d", "1w", "1h30m"';

/** Milliseconds of `value`. @throws WorkflowError `WF_INPUT_INVALID` naming the value and the accepted forms. */
export function advanceMs(duration: Duration, method = 'advance'): number {
  const value: unknown = duration;
  if (!isDuration(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    const why = (typeof value === 'number' && value < 0) || (typeof value === 'string' && value.trim().startsWith('-')) ? 'time only moves forward; ' : '';
    throw new WorkflowError(ErrorCode.InputInvalid, `${method}(${shown}): not a duration to move the clock by; ${why}give ${FORMS}.`, { value: shown });
  }
  return parseDuration(duration);
}
