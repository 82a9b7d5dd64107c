/** Where and how a command writes: human text with colours and tables, or one JSON document. */
import Table from 'cli-table3';
import { createColors } from 'picocolors';

/** The colour functions of picocolors. */
export type Colors = ReturnType<typeof createColors>;

/** The streams a command writes to (process streams in the binary, buffers in tests). */
export interface OutputStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Options of {@link Output}. */
export interface OutputOptions {
  /** One JSON document on stdout instead of text. */
  json: boolean;
  /** `--no-color` gives false. @defaultValue true */
  color?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * Human output (colours only on a TTY, without `NO_COLOR`, unless `FORCE_COLOR` is set) or JSON.
 * In JSON mode, text lines are dropped: the only thing on stdout is the document given to {@link json}.
 */
export class Output {
  readonly json: boolean;
  /** Colours, or identity functions when colour is off. */
  readonly c: Colors;
  readonly colorEnabled: boolean;
  readonly interactive: boolean;

  constructor(
    readonly streams: OutputStreams,
    options: OutputOptions,
  ) {
    const env = options.env ?? process.env;
    this.json = options.json;
    this.interactive = Boolean(streams.stdout.isTTY);
    const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
    this.colorEnabled = options.color !== false && !('NO_COLOR' in env && env.NO_COLOR !== '') && (forced || this.interactive);
    this.c = createColors(this.colorEnabled);
  }

  /** A line of human output (dropped in JSON mode). */
  line(text = ''): void {
    if (!this.json) this.streams.stdout.write(`${text}\n`);
  }

  /** A note for humans on stderr (dropped in JSON mode). */
  note(text: string): void {
    if (!this.json) this.streams.stderr.write(`${text}\n`);
  }

  /** The command's JSON document (JSON mode only). */
  document(value: unknown): void {
    if (this.json) this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Render a table with a coloured header; rows are already formatted strings. */
  table(head: string[], rows: string[][]): string {
    const table = new Table({
      head: head.map((h) => this.c.bold(h)),
      style: { head: [], border: [], compact: true },
    });
    table.push(...rows);
    return table.toString();
  }
}
