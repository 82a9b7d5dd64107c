/**
 * Progress of a bulk migration: a cli-progress bar (instances migrated / planned) on a TTY, one
 * plain line per page otherwise, nothing with `--json`.
 */
import cliProgress from 'cli-progress';
import type { Output } from './output.js';

/** Follows the pages of `migrate-instances` as they are applied. */
export class MigrationProgress {
  private readonly bar?: cliProgress.SingleBar;
  private migrated = 0;
  private refused = 0;
  private pages = 0;

  constructor(
    private readonly out: Output,
    private total: number,
  ) {
    if (!out.json && out.interactive) {
      this.bar = new cliProgress.SingleBar(
        { stream: out.streams.stdout as NodeJS.WriteStream, format: `${out.c.cyan('{bar}')} {value}/{total} instances | {refused} refused`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { refused: 0 });
    }
  }

  /** One page applied. */
  page(migrated: number, refused: number): void {
    this.pages += 1;
    this.migrated += migrated;
    this.refused += refused;
    // Instances started on the source version since the dry run make it longer.
    if (this.migrated > this.total) this.total = this.migrated;
    if (this.bar) {
      this.bar.setTotal(this.total);
      this.bar.update(this.migrated, { refused: this.refused });
    } else {
      this.out.line(`[${this.migrated}/${this.total}] page ${this.pages}: ${migrated} migrated${refused ? `, ${refused} refused` : ''}`);
    }
  }

  /** Remove the bar. */
  stop(): void {
    this.bar?.stop();
  }
}
