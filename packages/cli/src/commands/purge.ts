/**
 * `purge`: delete finished instances past their retention (their `purgeAfter`, stamped when they
 * finished), in batches, optionally archived first as JSON lines; `--dry-run` only counts them.
 */
import path from 'node:path';
import { JsonLinesArchive, type PurgeReport } from '@workflow-mastery/core';
import { CliError } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { parseLimit } from '../parse-options.js';
import { PurgeProgressDisplay } from '../purge-progress.js';
import type { Session } from '../session.js';

interface PurgeCommandOptions {
  dryRun?: boolean;
  limit?: string;
  batchSize?: string;
  archiveDir?: string;
}

/** Most instances one `purge` may be asked to delete or count. */
const MAX_LIMIT = 100_000_000;
/** What `--dry-run` counts at most without `--limit`. */
const DRY_RUN_COUNT = 100_000;
/** The purge loop never fires during the command: `engine.purge()` is called explicitly. */
const NEVER_MS = 2_000_000_000;

/** `workflow-mastery purge`. */
export const purgeCommand: CliCommand = {
  name: 'purge',
  register(program, runtime) {
    program
      .command('purge')
      .description('delete finished instances past their retention (definition `retention`, or --retention when they finished), with their history')
      .option('--dry-run', 'count what would be purged, per workflow; delete nothing', false)
      .option('-n, --limit <n>', 'purge at most this many instances (default: all that are due)')
      .option('--batch-size <n>', 'instances read, archived and deleted at a time (1-10000)', '500')
      .option('--archive-dir <dir>', 'first append each instance with its history as a JSON line to DIR/instances-YYYY-MM-DD.jsonl')
      .addHelpText('after', '\nOnly instances that finished with a retention are due: set `retention: 30d` in a definition, or run workers with --retention (WORKFLOW_RETENTION).')
      .action(
        runtime.action<PurgeCommandOptions>(async (session, _args, opts) => {
          const limit = opts.limit === undefined ? undefined : parseLimit(opts.limit, 0, MAX_LIMIT);
          const batchSize = parseLimit(opts.batchSize, 500, 10_000, '--batch-size');
          const archiveDir = opts.archiveDir !== undefined ? path.resolve(session.io.cwd, opts.archiveDir) : undefined;
          await requirePurgeableStorage(session);
          const engine = await session.engine('hand-off', await session.sources(), {
            purge: { intervalMs: NEVER_MS, batchSize, maxPerRun: MAX_LIMIT, ...(archiveDir !== undefined && !opts.dryRun ? { archive: new JsonLinesArchive({ directory: archiveDir }) } : {}) },
          });
          const out = session.out;
          if (opts.dryRun) {
            const report = await engine.purge({ dryRun: true, limit: limit ?? DRY_RUN_COUNT });
            out.document({ dryRun: true, ...report });
            const count = `${report.candidates}${report.more ? '+' : ''}`;
            out.line(`${out.c.bold(count)} finished instance${report.candidates === 1 ? '' : 's'} past their retention would be purged ${out.c.dim('(dry run: nothing deleted)')}`);
            if (report.candidates > 0) out.line(byDefinitionTable(session, report));
            return;
          }
          const total: PurgeReport = { candidates: 0, purged: 0, archived: 0, byDefinition: {}, more: false };
          const progress = new PurgeProgressDisplay(out, limit);
          try {
            for (;;) {
              const want = limit === undefined ? batchSize : Math.min(batchSize, limit - total.purged);
              if (want <= 0) break;
              const batch = await engine.purge({ limit: want });
              add(total, batch);
              progress.batch(batch, total);
              if (!batch.more || batch.purged === 0) break;
            }
          } finally {
            progress.stop();
          }
          if (limit !== undefined && total.purged >= limit) total.more = (await engine.purge({ dryRun: true, limit: 1 })).candidates > 0;
          else total.more = false;
          out.document({ dryRun: false, ...total, ...(archiveDir !== undefined ? { archiveDir } : {}) });
          out.line(`purged ${out.c.bold(String(total.purged))} finished instance${total.purged === 1 ? '' : 's'}${archiveDir !== undefined ? `, archived ${total.archived} to ${archiveDir}` : ''}`);
          if (total.purged > 0) out.line(byDefinitionTable(session, total));
          if (total.more) out.line(out.c.dim(`more are due: run purge again${limit !== undefined ? ' (or raise --limit)' : ''}`));
        }),
      );
  },
};

/** Refuses, naming the database, a storage that cannot delete instances. */
async function requirePurgeableStorage(session: Session): Promise<void> {
  const storage = await session.storage();
  if (typeof storage.findPurgeable !== 'function' || typeof storage.purgeInstances !== 'function') {
    throw new CliError(`the storage ${session.describeDatabase()} cannot purge finished instances (it has no findPurgeable/purgeInstances); use a storage that can (sqlite:, postgres://, mysql://, file:)`, 1, 'CLI_PURGE_UNSUPPORTED');
  }
}

function add(total: PurgeReport, batch: PurgeReport): void {
  total.candidates += batch.candidates;
  total.purged += batch.purged;
  total.archived += batch.archived;
  for (const [name, n] of Object.entries(batch.byDefinition)) total.byDefinition[name] = (total.byDefinition[name] ?? 0) + n;
}

function byDefinitionTable(session: Session, report: PurgeReport): string {
  const rows = Object.entries(report.byDefinition)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, n]) => [name, String(n)]);
  return session.out.table(['workflow', 'instances'], rows);
}
