/** `status ID`: one instance, its steps and what it waits for. */
import type { CliCommand } from '../command.types.js';
import { instanceDetails } from '../format/instance-format.js';

/** `workflow-mastery status`. */
export const statusCommand: CliCommand = {
  name: 'status',
  register(program, runtime) {
    program
      .command('status')
      .description('show an instance: state, steps, error, open tasks and awaited signals')
      .argument('<id>', 'instance id')
      .action(
        runtime.action(async (session, [id]) => {
          const engine = await session.engine('hand-off', await session.sources());
          const inst = await engine.getInstance(id!);
          session.out.document(inst);
          for (const line of instanceDetails(session.out, inst, session.hintCommand())) session.out.line(line);
        }),
      );
  },
};
