/** `retry-from ID STEP`: re-run an instance from a completed or failed step. */
import { cliActor } from '../actor.js';
import type { CliCommand } from '../command.types.js';
import { moveInstance } from '../instance-command.js';

/** `workflow-mastery retry-from`. */
export const retryFromCommand: CliCommand = {
  name: 'retry-from',
  register(program, runtime) {
    program
      .command('retry-from')
      .description('re-run an instance from a completed or failed step; the results of the steps after it are cleared')
      .argument('<id>', 'instance id')
      .argument('<step>', 'the step to run again (see `status ID`)')
      .option('--by <user>', 'who does it, kept in the history (default: cli:<os user>)')
      .action(
        runtime.action<{ by?: string }>(async (session, [id, step], opts) =>
          moveInstance(session, async (engine) => ({
            instance: await engine.retryFrom(id!, step!, cliActor(opts.by)),
            done: `${id} retried from step ${step}`,
          })),
        ),
      );
  },
};
