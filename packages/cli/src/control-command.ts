/** pause, resume, cancel and retry share one shape: a command on one instance id. */
import type { InstanceRecord, WorkflowEngine } from '@workflow-mastery/core';
import { cliActor } from './actor.js';
import type { CliCommand } from './command.types.js';
import { moveInstance } from './instance-command.js';

/** Options of the control commands. */
export interface ControlOptions {
  by?: string;
  reason?: string;
}

/** A command `name ID` calling `apply` and reporting with `done` (past tense). */
export function controlCommand(
  name: string,
  description: string,
  done: string,
  apply: (engine: WorkflowEngine, id: string, options: ControlOptions & { by: string }) => Promise<InstanceRecord>,
  extra?: { option: string; description: string },
): CliCommand {
  return {
    name,
    register(program, runtime) {
      const command = program.command(name).description(description).argument('<id>', 'instance id').option('--by <user>', 'who does it, kept in the history (default: cli:<os user>)');
      if (extra) command.option(extra.option, extra.description);
      command.action(
        runtime.action<ControlOptions>(async (session, [id], opts) =>
          moveInstance(session, async (engine) => ({ instance: await apply(engine, id!, { ...opts, by: cliActor(opts.by) }), done: `${id} ${done}` })),
        ),
      );
    },
  };
}
