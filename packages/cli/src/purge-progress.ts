/**
 * Progress of `purge`: a cli-progress line (instances purged so far) on a TTY, one line per batch
 * on stderr otherwise, nothing with `--json`.
 */
import cliProgress from 'cli-progress';
import type { PurgeReport } from '@workflow-mastery/core';
import type { Output } from './output.js';

/** Follows the batches of a purge. */
export class PurgeProgressDisplay {
  private readonly bar?: cliProgress.SingleBar;

  constructor(
    private readonly out: Output,
    /** `--limit`, when given: the bar's total. */
    limit: number | undefined,
  ) {
    if (!out.json && out.interactive) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: out.streams.stderr as NodeJS.WriteStream,
          format: limit !== undefined ? `[{bar}] ${out.c.cyan('{value}')}/{total} purged | archived {archived}` : `${out.c.cyan('{value}')} purged | archived {archived}`,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(limit ?? 0, 0, { archived: 0 });
    }
  }

  /** One batch done; `total` sums the batches so far. */
  batch(batch: PurgeReport, total: PurgeReport): void {
    if (this.bar) this.bar.update(total.purged, { archived: total.archived });
    else if (batch.purged > 0) this.out.note(`[${total.purged} purged] batch of ${batch.purged}${batch.archived > 0 ? `, ${batch.archived} archived` : ''}`);
  }

  /** Remove the line. */
  stop(): void {
    this.bar?.stop();
  }
}
