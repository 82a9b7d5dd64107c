/** `migrate-instance ID --to VERSION`: move one running instance to another version of its definition. */
import { runnableWork } from '@workflow-mastery/core/storage-kit';
import { cliActor } from '../actor.js';
import { HANDED_OFF_NOTE } from '../cli.messages.js';
import type { CliCommand } from '../command.types.js';
import { planLines } from '../format/migration-format.js';
import { instanceHeadline, waitingHints } from '../format/instance-format.js';
import { commandLine } from '../rerun-command.js';
import { collect, parseStepMap } from '../step-map.js';
import { UsageError } from '../cli-error.js';

interface MigrateInstanceOptions {
  to?: string;
  stepMap?: string[];
  dryRun?: boolean;
  by?: string;
}

/** `workflow-mastery migrate-instance`. */
export const migrateInstanceCommand: CliCommand = {
  name: 'migrate-instance',
  register(program, runtime) {
    program
      .command('migrate-instance')
      .description('move one running instance to another version of its definition (see the plan first with --dry-run)')
      .argument('<id>', 'instance id')
      .option('--to <version>', 'the target version (required; deployed or registered)')
      .option('--step-map <old=new>', 'where a step the target lacks (or renames) goes, e.g. review=manager_review (repeatable)', collect, [])
      .option('--dry-run', 'only print the plan: where each open step, task, timer and signal goes; change nothing', false)
      .option('--by <user>', 'who migrates it, kept in the history (default: cli:<os user>)')
      .addHelpText('after', '\nRefused, with nothing changed, when the instance has ended or a step it is in has no place in the target (map it with --step-map).')
      .action(
        runtime.action<MigrateInstanceOptions>(async (session, [id], opts) => {
          if (!opts.to) throw new UsageError('migrate-instance needs --to VERSION (the version to move the instance to)');
          const stepMap = parseStepMap(opts.stepMap);
          const engine = await session.engine('hand-off', await session.sources());
          const plan = await engine.migrateInstance(id!, {
            toVersion: opts.to,
            dryRun: Boolean(opts.dryRun),
            by: cliActor(opts.by),
            ...(stepMap ? { stepMap } : {}),
          });
          const out = session.out;
          out.document(plan);
          if (!plan.applied) {
            out.line(`${out.c.cyan('dry run')}: nothing changed. The migration would do:`);
            for (const line of planLines(out, plan)) out.line(line);
            const args = ['migrate-instance', id!, '--to', opts.to, ...(opts.stepMap ?? []).flatMap((m) => ['--step-map', m])];
            out.line(out.c.dim(`apply it: ${commandLine([...session.givenArgs, ...args])}`));
            return;
          }
          out.line(`${out.c.green('✔')} ${id} migrated from v${plan.fromVersion} to v${plan.toVersion}`);
          for (const line of planLines(out, plan)) out.line(line);
          const inst = await engine.getInstance(id!);
          if (runnableWork(inst).length > 0) out.note(out.c.dim(`note: ${HANDED_OFF_NOTE}`));
          out.line(instanceHeadline(out, inst));
          for (const line of waitingHints(out, inst, session.hintCommand())) out.line(line);
        }),
      );
  },
};
