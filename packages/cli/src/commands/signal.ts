/** `signal ID NAME`: deliver an external signal to an instance. */
import { cliActor } from '../actor.js';
import type { CliCommand } from '../command.types.js';
import { moveInstance } from '../instance-command.js';
import { parseData } from '../parse-data.js';

/** `workflow-mastery signal`. */
export const signalCommand: CliCommand = {
  name: 'signal',
  register(program, runtime) {
    program
      .command('signal')
      .description('send a signal to an instance (buffered if nothing waits for it yet)')
      .argument('<id>', 'instance id')
      .argument('<name>', 'signal name')
      .option('--data <json>', 'payload: a JSON object, or @file.json')
      .option('--by <user>', 'who sends it, kept in the history (default: cli:<os user>)')
      .action(
        runtime.action<{ data?: string; by?: string }>(async (session, [id, name], opts) => {
          const payload = await parseData(opts.data, session.io.cwd);
          return moveInstance(session, async (engine) => ({
            instance: await engine.signal(id!, name!, payload, cliActor(opts.by)),
            done: `signal "${name}" delivered to ${id}`,
          }));
        }),
      );
  },
};
