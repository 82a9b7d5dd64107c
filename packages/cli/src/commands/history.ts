/** `history ID`: the append-only history of an instance. */
import type { CliCommand } from '../command.types.js';
import { describeEvent } from '../format/event-format.js';
import { truncate } from '../format/instance-format.js';
import { formatTime } from '../format/time-format.js';

/** `workflow-mastery history`. */
export const historyCommand: CliCommand = {
  name: 'history',
  register(program, runtime) {
    program
      .command('history')
      .description("show an instance's history: every event, in order")
      .argument('<id>', 'instance id')
      .action(
        runtime.action(async (session, [id]) => {
          const engine = await session.engine('hand-off', await session.sources());
          const events = await engine.getHistory(id!);
          const out = session.out;
          out.document({ instanceId: id, events });
          const rows = events.map((e) => [String(e.seq), formatTime(e.at), e.type, e.stepId ?? '', e.attempt !== undefined ? String(e.attempt) : '', truncate(describeEvent(e), 70)]);
          out.line(out.table(['seq', 'at', 'event', 'step', 'attempt', 'details'], rows));
        }),
      );
  },
};
