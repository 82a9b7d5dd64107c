/** `list`: instances in a table, filtered by state, workflow and age. */
import type { InstanceQuery } from '@workflow-mastery/core';
import type { CliCommand } from '../command.types.js';
import { paintState } from '../format/state-color.js';
import { formatTime } from '../format/time-format.js';
import { parseLimit, parseSince, parseStates } from '../parse-options.js';

interface ListOptions {
  state?: string;
  workflow?: string;
  since?: string;
  limit?: string;
  cursor?: string;
}

/** `workflow-mastery list`. */
export const listCommand: CliCommand = {
  name: 'list',
  register(program, runtime) {
    program
      .command('list')
      .alias('ls')
      .description('list instances, newest first')
      .option('-s, --state <states>', 'only these states, comma-separated (e.g. FAILED,WAITING)')
      .option('-w, --workflow <name>', 'only instances of this definition')
      .option('--since <when>', 'only instances created since a duration ago (30m, 2h, 7d) or a date')
      .option('-n, --limit <n>', 'at most this many (1-1000)', '20')
      .option('--cursor <cursor>', 'the next page, from a previous --json output\'s nextCursor')
      .action(
        runtime.action<ListOptions>(async (session, _args, opts) => {
          const state = parseStates(opts.state);
          const since = parseSince(opts.since);
          const query: InstanceQuery = {
            limit: parseLimit(opts.limit, 20),
            ...(state ? { state } : {}),
            ...(opts.workflow ? { definitionName: opts.workflow } : {}),
            ...(since !== undefined ? { createdAfter: since } : {}),
            ...(opts.cursor ? { cursor: opts.cursor } : {}),
          };
          const engine = await session.engine('hand-off', await session.sources());
          const page = await engine.listInstances(query);
          const out = session.out;
          out.document(page);
          if (page.items.length === 0) {
            out.line(out.c.dim('no instances match'));
            return;
          }
          const rows = page.items.map((i) => [i.id, i.definitionName, i.definitionVersion, paintState(out.c, i.state), formatTime(i.createdAt), formatTime(i.updatedAt)]);
          out.line(out.table(['id', 'workflow', 'version', 'state', 'created', 'updated'], rows));
          if (page.nextCursor) out.line(out.c.dim(`more: --cursor ${page.nextCursor}`));
        }),
      );
  },
};
