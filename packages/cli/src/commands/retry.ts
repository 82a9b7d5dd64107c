/** `retry ID`: re-run a FAILED instance from its failed steps. */
import { controlCommand } from '../control-command.js';

/** `workflow-mastery retry`. */
export const retryCommand = controlCommand('retry', 'retry a FAILED instance from its failed steps, with fresh retries', 'retried', (engine, id, o) => engine.retry(id, o.by));
