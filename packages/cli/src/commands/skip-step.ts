/** `skip-step ID STEP`: complete a stuck step with given data and route on. */
import { cliActor } from '../actor.js';
import type { CliCommand } from '../command.types.js';
import { moveInstance } from '../instance-command.js';
import { parseData } from '../parse-data.js';

/** `workflow-mastery skip-step`. */
export const skipStepCommand: CliCommand = {
  name: 'skip-step',
  register(program, runtime) {
    program
      .command('skip-step')
      .description('complete a stuck step (waiting, failed, or with an open task) as if its action had returned --data, and route on')
      .argument('<id>', 'instance id')
      .argument('<step>', 'the step to complete (see `status ID`)')
      .option('--data <json>', "the step's result, merged into the instance data: a JSON object, or @file.json")
      .option('--by <user>', 'who does it, kept in the history (default: cli:<os user>)')
      .action(
        runtime.action<{ data?: string; by?: string }>(async (session, [id, step], opts) => {
          const data = await parseData(opts.data, session.io.cwd);
          return moveInstance(session, async (engine) => ({
            instance: await engine.skipStep(id!, step!, data, cliActor(opts.by)),
            done: `step ${step} of ${id} skipped`,
          }));
        }),
      );
  },
};
