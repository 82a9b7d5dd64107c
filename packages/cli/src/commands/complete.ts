/** `complete TASK`: complete a human task with data. */
import { cliActor } from '../actor.js';
import type { CliCommand } from '../command.types.js';
import { moveInstance } from '../instance-command.js';
import { parseData } from '../parse-data.js';

/** `workflow-mastery complete`. */
export const completeCommand: CliCommand = {
  name: 'complete',
  register(program, runtime) {
    program
      .command('complete')
      .description('complete a human task: its data is merged into the instance data and the instance goes on')
      .argument('<task>', 'task id (see `tasks`)')
      .option('--data <json>', 'the task result: a JSON object, or @file.json')
      .option('--by <user>', 'who completes it (default: cli:<os user>)')
      .action(
        runtime.action<{ data?: string; by?: string }>(async (session, [taskId], opts) => {
          const data = await parseData(opts.data, session.io.cwd);
          const by = cliActor(opts.by);
          return moveInstance(session, async (engine) => ({
            instance: await engine.completeTask(taskId!, data, by),
            done: `task ${taskId} completed by ${by}`,
          }));
        }),
      );
  },
};
