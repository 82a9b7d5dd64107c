/** `cancel ID`: abort an instance. */
import { controlCommand } from '../control-command.js';

/** `workflow-mastery cancel`. */
export const cancelCommand = controlCommand(
  'cancel',
  'cancel an instance: running attempts are aborted, nothing is compensated',
  'cancelled',
  (engine, id, o) => engine.cancel(id, o.reason, o.by),
  { option: '--reason <text>', description: 'why, kept in the history' },
);
