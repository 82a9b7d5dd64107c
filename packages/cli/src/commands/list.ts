/** `list`: instances in a table, filtered by state, workflow, age, business key and search attributes. */
import type { InstanceQuery } from '@workflow-mastery/core';
import type { CliCommand } from '../command.types.js';
import { paintState } from '../format/state-color.js';
import { formatTime } from '../format/time-format.js';
import { parseAttributes, parseLimit, parseSince, parseStates } from '../parse-options.js';

interface ListOptions {
  state?: string;
  workflow?: string;
  since?: string;
  limit?: string;
  cursor?: string;
  businessKey?: string;
  attr?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

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
      .option('-k, --business-key <key>', 'only the instances with this business key (exact)')
      .option('--attr <name=value>', 'only instances whose search attribute `name` is `value` (repeatable: all must match)', collect, [])
      .option('--since <when>', 'only instances created since a duration ago (30m, 2h, 7d) or a date')
      .option('-n, --limit <n>', 'at most this many (1-1000)', '20')
      .option('--cursor <cursor>', 'the next page, from a previous --json output\'s nextCursor')
      .action(
        runtime.action<ListOptions>(async (session, _args, opts) => {
          const state = parseStates(opts.state);
          const since = parseSince(opts.since);
          const attributes = parseAttributes(opts.attr);
          const query: InstanceQuery = {
            limit: parseLimit(opts.limit, 20),
            ...(state ? { state } : {}),
            ...(opts.workflow ? { definitionName: opts.workflow } : {}),
            ...(since !== undefined ? { createdAfter: since } : {}),
            ...(opts.cursor ? { cursor: opts.cursor } : {}),
            ...(opts.businessKey !== undefined ? { businessKey: opts.businessKey } : {}),
            ...(attributes ? { attributes } : {}),
          };
          const engine = await session.engine('hand-off', await session.sources());
          const page = await engine.listInstances(query);
          const out = session.out;
          out.document(page);
          if (page.items.length === 0) {
            out.line(out.c.dim('no instances match'));
            return;
          }
          const rows = page.items.map((i) => [i.id, i.definitionName, i.definitionVersion, paintState(out.c, i.state), i.businessKey ?? '', formatTime(i.createdAt), formatTime(i.updatedAt)]);
          out.line(out.table(['id', 'workflow', 'version', 'state', 'business key', 'created', 'updated'], rows));
          if (page.nextCursor) out.line(out.c.dim(`more: --cursor ${page.nextCursor}`));
        }),
      );
  },
};
