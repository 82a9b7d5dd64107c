/** `tasks`: open human tasks (or others, by state). */
import type { CliCommand } from '../command.types.js';
import { paintState } from '../format/state-color.js';
import { formatTime } from '../format/time-format.js';
import { parseLimit, parseTaskStates, TASK_STATES } from '../parse-options.js';

interface TasksOptions {
  assignee?: string;
  instance?: string;
  workflow?: string;
  state?: string;
  limit?: string;
}

/** `workflow-mastery tasks`. */
export const tasksCommand: CliCommand = {
  name: 'tasks',
  register(program, runtime) {
    program
      .command('tasks')
      .description('list human tasks (open and claimed ones by default)')
      .option('-a, --assignee <who>', 'only tasks assigned to this user or role')
      .option('-i, --instance <id>', 'only tasks of this instance')
      .option('-w, --workflow <name>', 'only tasks of this definition')
      .option('-s, --state <states>', `task states, comma-separated (${TASK_STATES.join(', ')})`)
      .option('-n, --limit <n>', 'at most this many (1-1000)', '100')
      .action(
        runtime.action<TasksOptions>(async (session, _args, opts) => {
          const state = parseTaskStates(opts.state);
          const engine = await session.engine('hand-off', await session.sources());
          const tasks = await engine.listTasks({
            limit: parseLimit(opts.limit, 100),
            ...(opts.assignee ? { assignedTo: opts.assignee } : {}),
            ...(opts.instance ? { instanceId: opts.instance } : {}),
            ...(opts.workflow ? { definitionName: opts.workflow } : {}),
            ...(state ? { state } : {}),
          });
          const out = session.out;
          out.document({ items: tasks });
          if (tasks.length === 0) {
            out.line(out.c.dim('no tasks match'));
            return;
          }
          const rows = tasks.map((t) => [t.id, t.definitionName, t.stepId, t.assignedTo, paintState(out.c, t.state), formatTime(t.openedAt), formatTime(t.dueAt)]);
          out.line(out.table(['task', 'workflow', 'step', 'assigned to', 'state', 'opened', 'due'], rows));
          out.line(out.c.dim(`complete one: ${session.hintCommand()} complete TASK --data '{...}' --by USER`));
        }),
      );
  },
};
