/**
 * `migrate-instances NAME@FROM --to VERSION`: move every unfinished instance of a version to
 * another, page by page, after a dry-run summary. Resumable: migrated instances no longer match,
 * so running it again continues with the rest.
 */
import { createInterface } from 'node:readline/promises';
import { cliActor } from '../actor.js';
import { ExitCode, UsageError } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { addPage, emptySummary, summaryLines, type BulkMigrationPage } from '../format/migration-format.js';
import { MigrationProgress } from '../migration-progress.js';
import { parseLimit } from '../parse-options.js';
import { commandLine } from '../rerun-command.js';
import { collect, parseNameAtVersion, parseStepMap } from '../step-map.js';

interface MigrateInstancesOptions {
  to?: string;
  stepMap?: string[];
  dryRun?: boolean;
  yes?: boolean;
  limit?: string;
  by?: string;
}

/** Ask on the terminal; false when stdin is not one (then `--yes` is needed). */
async function confirmed(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** `workflow-mastery migrate-instances`. */
export const migrateInstancesCommand: CliCommand = {
  name: 'migrate-instances',
  register(program, runtime) {
    program
      .command('migrate-instances')
      .description('move every unfinished instance of NAME@FROM to another version: a dry-run summary first, then page by page')
      .argument('<name@from>', 'the definition and the version its instances are on, e.g. order@1')
      .option('--to <version>', 'the target version (required)')
      .option('--step-map <old=new>', 'where a step the target lacks (or renames) goes, e.g. review=manager_review (repeatable)', collect, [])
      .option('--dry-run', 'only print the summary: how many instances, where open steps go, which are refused', false)
      .option('-y, --yes', 'apply without asking (needed when not on a terminal)', false)
      .option('-n, --limit <n>', 'instances per page (1-1000)', '100')
      .option('--by <user>', 'who migrates them, kept in each history (default: cli:<os user>)')
      .addHelpText(
        'after',
        '\nEach page is committed as it goes: when interrupted, run the same command again to continue (migrated instances no\n' +
          'longer match). Refused instances are left unchanged. Exit code 1 when some were refused, 130 when interrupted.',
      )
      .action(
        runtime.action<MigrateInstancesOptions>(async (session, [source], opts) => {
          const { name, version: fromVersion } = parseNameAtVersion(source!, 'the source');
          if (!opts.to) throw new UsageError('migrate-instances needs --to VERSION (the version to move the instances to)');
          const toVersion = opts.to;
          const stepMap = parseStepMap(opts.stepMap);
          const limit = parseLimit(opts.limit, 100);
          const engine = await session.engine('hand-off', await session.sources());
          const by = cliActor(opts.by);
          const base = { toVersion, limit, by, ...(stepMap ? { stepMap } : {}) };
          const out = session.out;

          const summary = emptySummary(name, fromVersion, toVersion);
          let cursor: string | undefined;
          do {
            const page: BulkMigrationPage = await engine.migrateInstances(name, fromVersion, { ...base, dryRun: true, ...(cursor ? { cursor } : {}) });
            addPage(summary, page);
            cursor = page.nextCursor;
          } while (cursor);
          out.line(`${out.c.cyan('dry run')}:`);
          for (const line of summaryLines(out, summary)) out.line(line);

          const args = ['migrate-instances', source!, '--to', toVersion, ...(opts.stepMap ?? []).flatMap((m) => ['--step-map', m])];
          if (opts.dryRun) {
            out.document({ dryRun: summary });
            if (summary.instances > 0) out.line(out.c.dim(`apply it: ${commandLine([...session.givenArgs, ...args, '--yes'])}`));
            return ExitCode.Ok;
          }
          if (summary.instances === 0) {
            out.document({ dryRun: summary, migrated: 0, refused: summary.refused });
            out.line('nothing to migrate');
            return summary.refused.length > 0 ? ExitCode.Failure : ExitCode.Ok;
          }
          if (!opts.yes && !(await confirmed(`Migrate ${summary.instances} instance(s) to v${toVersion}?`))) {
            throw new UsageError(`nothing was migrated: pass --yes to apply (${commandLine([...session.givenArgs, ...args, '--yes'])})`);
          }

          let interrupted = false;
          const onSignal = () => void (interrupted = true);
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          const progress = new MigrationProgress(out, summary.instances);
          let migrated = 0;
          const refused: BulkMigrationPage['refused'] = [];
          try {
            cursor = undefined;
            do {
              const page: BulkMigrationPage = await engine.migrateInstances(name, fromVersion, { ...base, ...(cursor ? { cursor } : {}) });
              migrated += page.migrated.length;
              refused.push(...page.refused);
              progress.page(page.migrated.length, page.refused.length);
              cursor = page.nextCursor;
            } while (cursor && !interrupted);
          } finally {
            progress.stop();
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          out.document({ dryRun: summary, migrated, refused, ...(interrupted ? { interrupted: true } : {}) });
          out.line(`${out.c.green('✔')} ${migrated} instance(s) of ${name} migrated from v${fromVersion} to v${toVersion}`);
          for (const r of refused) out.line(`  ${out.c.red('refused')} ${r.instanceId}: ${r.message} [${r.code}]`);
          if (interrupted) {
            out.note(`interrupted: the pages applied so far are kept; run the same command again to migrate the rest`);
            return ExitCode.Interrupted;
          }
          if (refused.length > 0) {
            out.note(`${refused.length} instance(s) were refused and stay on v${fromVersion}, unchanged`);
            return ExitCode.Failure;
          }
          return ExitCode.Ok;
        }),
      );
  },
};
