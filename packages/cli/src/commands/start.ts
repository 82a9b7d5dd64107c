/** `start FILE|NAME`: start an instance and print its id, without waiting. */
import { cliActor } from '../actor.js';
import { BUSINESS_KEY_OPTION, businessKeyStartOptions, startWithBusinessKey, UNIQUE_BUSINESS_KEY_OPTION, type BusinessKeyOptions } from '../business-key.js';
import type { CliCommand } from '../command.types.js';
import { instanceHeadline } from '../format/instance-format.js';
import { parseData } from '../parse-data.js';
import { prepareDefinition, resolveRunTarget } from '../run-definition.js';

interface StartOptions extends BusinessKeyOptions {
  data?: string;
  workflow?: string;
  workflowVersion?: string;
  idempotencyKey?: string;
  by?: string;
}

/** `workflow-mastery start`. */
export const startCommand: CliCommand = {
  name: 'start',
  register(program, runtime) {
    program
      .command('start')
      .description('start an instance and print its id; its steps run in the processes serving this database (serve --module ...)')
      .argument('<workflow>', 'a definition (.json, .yaml), a module (.js, .mjs), or a definition name from --module')
      .option('--data <json>', 'start data: a JSON object, or @file.json')
      .option('-w, --workflow <name>', 'which definition of a module exporting several')
      .option('--workflow-version <version>', 'definition version when starting by name (default: the latest)')
      .option('--idempotency-key <key>', 'a second start with the same key returns the first instance')
      .option('--by <user>', 'who starts it, kept in the history (default: cli:<os user>)')
      .option(...BUSINESS_KEY_OPTION)
      .option(...UNIQUE_BUSINESS_KEY_OPTION)
      .action(
        runtime.action<StartOptions>(async (session, [target], opts) => {
          const keyOptions = businessKeyStartOptions(opts);
          const resolved = await resolveRunTarget(target!, opts.workflow, session.io.cwd);
          const data = await parseData(opts.data, session.io.cwd);
          // Hand-off: the first step is left unleased for a process that runs workflows.
          const engine = await session.engine('hand-off', await session.sources(resolved.extra));
          const def = await prepareDefinition(engine, resolved.definition, opts.workflowVersion);
          const inst = await startWithBusinessKey(() =>
            engine.start(def, data, {
              startedBy: cliActor(opts.by),
              ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
              ...keyOptions,
            }),
          );
          const out = session.out;
          out.document(inst);
          if (out.interactive) out.line(instanceHeadline(out, inst));
          else out.line(inst.id);
        }),
      );
  },
};
