/** One colour per instance, step and task state, the same in every table. */
import type { Colors } from '../output.js';

/** `state` painted: green done, red failed, yellow waiting/paused, cyan running, dim the rest. */
export function paintState(c: Colors, state: string): string {
  switch (state) {
    case 'COMPLETED':
      return c.green(state);
    case 'FAILED':
    case 'EXPIRED':
      return c.red(state);
    case 'CANCELLED':
    case 'SKIPPED':
      return c.dim(state);
    case 'WAITING':
    case 'PAUSED':
    case 'RETRY_WAIT':
    case 'OPEN':
    case 'CLAIMED':
    case 'COMPENSATING':
    case 'TIMED_OUT':
      return c.yellow(state);
    default:
      return c.cyan(state);
  }
}
