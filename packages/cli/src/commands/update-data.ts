/** `update-data ID --patch JSON`: change an instance's data (shallow merge; null removes a key). */
import { cliActor } from '../actor.js';
import { UsageError } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { moveInstance } from '../instance-command.js';
import { parseData } from '../parse-data.js';

/** `workflow-mastery update-data`. */
export const updateDataCommand: CliCommand = {
  name: 'update-data',
  register(program, runtime) {
    program
      .command('update-data')
      .description("merge a patch into an instance's data (top-level keys replaced; a key set to null is removed)")
      .argument('<id>', 'instance id')
      .option('--patch <json>', 'the patch: a JSON object, or @file.json (required)')
      .option('--by <user>', 'who does it, kept in the history (default: cli:<os user>)')
      .action(
        runtime.action<{ patch?: string; by?: string }>(async (session, [id], opts) => {
          if (opts.patch === undefined) throw new UsageError(`update-data needs --patch JSON, e.g. --patch '{"amount":120}'`);
          const patch = await parseData(opts.patch, session.io.cwd, '--patch');
          if (Object.keys(patch).length === 0) throw new UsageError('--patch {} changes nothing; give the keys to set (or null to remove)');
          return moveInstance(session, async (engine) => ({
            instance: await engine.updateData(id!, patch, cliActor(opts.by)),
            done: `data of ${id} updated (${Object.keys(patch).join(', ')})`,
          }));
        }),
      );
  },
};
