/** Options every command accepts (before or after its name). */
import { Option, type Command } from 'commander';
import { DEFAULT_DATABASE } from './database-url.js';

/** Parsed global options. */
export interface GlobalOptions {
  /** `--database URL`, else `WORKFLOW_DATABASE_URL`, else {@link DEFAULT_DATABASE}. */
  database?: string;
  /** `--table-prefix`, else `WORKFLOW_TABLE_PREFIX`. */
  tablePrefix?: string;
  /** `--module FILE`, repeatable. */
  module: string[];
  /** `--definition FILE`, repeatable. */
  definition: string[];
  /** `--redis URL`, else `WORKFLOW_REDIS_URL`: steps run on BullMQ workers (`workflow-mastery worker`). */
  redis?: string;
  /** `--queue NAME`, else `WORKFLOW_QUEUE`. @defaultValue `workflow-mastery` */
  queue?: string;
  /**
   * `--retention DURATION` (or `false`), else `WORKFLOW_RETENTION`: how long instances that finish in
   * this process are kept before `purge` may delete them (a definition's own `retention` wins).
   */
  retention?: string;
  json: boolean;
  verbose: boolean;
  /** False with `--no-color`. */
  color: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Declare the global options on the program. */
export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('-d, --database <url>', `storage: sqlite:PATH, postgres://..., mysql://..., mariadb://..., file:DIR or memory: (default: ${DEFAULT_DATABASE})`).env('WORKFLOW_DATABASE_URL'))
    .addOption(new Option('--table-prefix <prefix>', 'table prefix of the SQL storages (default: wm_)').env('WORKFLOW_TABLE_PREFIX'))
    .option('-m, --module <file>', 'ES module exporting `definitions` and `actions` (repeatable)', collect, [])
    .option('--definition <file>', 'a definition in JSON or YAML to register (repeatable)', collect, [])
    .addOption(new Option('--redis <url>', 'Redis of the BullMQ queue: steps run on `workflow-mastery worker` processes, this process only enqueues').env('WORKFLOW_REDIS_URL'))
    .addOption(new Option('--queue <name>', 'BullMQ queue name (default: workflow-mastery)').env('WORKFLOW_QUEUE'))
    .addOption(new Option('--retention <duration>', 'keep instances finishing here this long (30d, 12h), then `purge` deletes them; false keeps them (default: false; a definition\'s retention wins)').env('WORKFLOW_RETENTION'))
    .option('--json', 'print one JSON document on stdout (for scripts)', false)
    .option('-v, --verbose', 'log what the engine does, and stack traces of errors', false)
    .option('--no-color', 'no colours (also: NO_COLOR=1)');
}
