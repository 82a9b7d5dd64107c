/**
 * Progress of `reencrypt`: a cli-progress line (instances visited, records and events rewritten) on
 * a TTY, one plain line per batch otherwise (with the cursor to resume from, for logs), nothing with `--json`.
 */
import cliProgress from 'cli-progress';
import type { ReencryptProgress } from '@workflow-mastery/core';
import type { Output } from './output.js';

/** `A: 3, B: 5; in clear: 1`. */
function keyCounts(p: ReencryptProgress): string {
  const keys = Object.entries(p.keys).map(([kid, n]) => `${kid}: ${n}`);
  return `${keys.length > 0 ? keys.join(', ') : 'none'}${p.unencrypted > 0 ? `; in clear: ${p.unencrypted}` : ''}`;
}

/** Follows the batches of a re-encryption pass. */
export class ReencryptProgressDisplay {
  private readonly bar?: cliProgress.SingleBar;

  constructor(
    private readonly out: Output,
    /** Counting only (`--dry-run`): show the values per key id instead of what was rewritten. */
    private readonly dryRun: boolean,
  ) {
    if (!out.json && out.interactive) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: out.streams.stdout as NodeJS.WriteStream,
          format: dryRun ? `${out.c.cyan('{value}')} instances read | {keys}` : `${out.c.cyan('{value}')} instances done | {records} records, {events} events re-encrypted`,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(0, 0, { records: 0, events: 0, keys: '' });
    }
  }

  /** One batch done. */
  batch(p: ReencryptProgress): void {
    if (this.bar) {
      this.bar.setTotal(p.instances);
      this.bar.update(p.instances, { records: p.records, events: p.events, keys: keyCounts(p) });
    } else if (!this.out.json) {
      const what = this.dryRun ? `values per key id: ${keyCounts(p)}` : `${p.records} records, ${p.events} events re-encrypted`;
      this.out.line(`[${p.instances} instances ${this.dryRun ? 'read' : 'done'}] ${what}${p.cursor ? ` (resume: --resume ${p.cursor})` : ''}`);
    }
  }

  /** Remove the line. */
  stop(): void {
    this.bar?.stop();
  }
}
