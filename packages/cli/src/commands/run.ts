/** `run FILE`: start a workflow here and follow it until it ends or waits. */
import { randomUUID } from 'node:crypto';
import type { InstanceRecord } from '@workflow-mastery/core';
import { cliActor } from '../actor.js';
import { ExitCode } from '../cli-error.js';
import { BUSINESS_KEY_OPTION, businessKeyStartOptions, startWithBusinessKey, UNIQUE_BUSINESS_KEY_OPTION, type BusinessKeyOptions } from '../business-key.js';
import type { CliCommand } from '../command.types.js';
import { instanceDetails } from '../format/instance-format.js';
import { exitCodeOf } from '../instance-exit-code.js';
import { parseData } from '../parse-data.js';
import { parseTimeout } from '../parse-options.js';
import { finishedSteps, ProgressDisplay } from '../progress-display.js';
import { prepareDefinition, resolveRunTarget } from '../run-definition.js';
import { untilInterrupted, WAIT_FOREVER_MS } from '../until-interrupted.js';

interface RunOptions extends BusinessKeyOptions {
  data?: string;
  workflow?: string;
  workflowVersion?: string;
  idempotencyKey?: string;
  by?: string;
  timeout?: string;
}

/** `workflow-mastery run FILE`. */
export const runCommand: CliCommand = {
  name: 'run',
  register(program, runtime) {
    program
      .command('run')
      .description('start a workflow and run it here, showing progress, until it completes, fails or waits for a task or signal')
      .argument('<file>', 'a definition (.json, .yaml), a module (.js, .mjs) exporting one, or a definition name from --module')
      .option('--data <json>', 'start data: a JSON object, or @file.json')
      .option('-w, --workflow <name>', 'which definition of a module exporting several')
      .option('--workflow-version <version>', 'definition version when running by name (default: the latest)')
      .option('--idempotency-key <key>', 'a second run with the same key returns the first instance')
      .option('--by <user>', 'who starts it, kept in the history (default: cli:<os user>)')
      .option('--timeout <duration>', 'stop waiting after this long (the instance goes on in storage)')
      .addHelpText('after', '\nExit code: 0 when COMPLETED (or waiting for a task or signal), 1 when FAILED or CANCELLED.')
      .option(...BUSINESS_KEY_OPTION)
      .option(...UNIQUE_BUSINESS_KEY_OPTION)
      .action(
        runtime.action<RunOptions>(async (session, [file], opts) => {
          const target = await resolveRunTarget(file!, opts.workflow, session.io.cwd);
          const data = await parseData(opts.data, session.io.cwd);
          const timeoutMs = parseTimeout(opts.timeout);
          const keyOptions = businessKeyStartOptions(opts);
          const engine = await session.engine('run', await session.sources(target.extra));
          const def = await prepareDefinition(engine, target.definition, opts.workflowVersion);
          const out = session.out;
          const id = randomUUID();
          out.note(out.c.dim(`storage: ${session.describeDatabase()}`));
          const total = Object.keys(def.steps).length;
          let progress = new ProgressDisplay(out, engine, id, total);
          let followed: string = id;
          let final: InstanceRecord | 'interrupted';
          try {
            const started = await startWithBusinessKey(() =>
              engine.start(def, data, {
                instanceId: id,
                startedBy: cliActor(opts.by),
                ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
                ...keyOptions,
              }),
            );
            if (started.id !== id) {
              // The key's instance: progress and the messages follow it from where it is.
              out.note(`idempotency key already used: following instance ${started.id}`);
              progress.stop();
              followed = started.id;
              progress = new ProgressDisplay(out, engine, followed, total, finishedSteps(started));
            }
            out.line(`${out.c.cyan('▶')} ${def.name} v${def.version} started: ${out.c.bold(followed)}`);
            final = await untilInterrupted(engine.waitFor(followed, { timeoutMs: timeoutMs ?? WAIT_FOREVER_MS }));
          } finally {
            progress.stop();
          }
          if (final === 'interrupted') {
            out.note(`interrupted: instance ${followed} is kept in storage; see it with \`${session.hintCommand(target.rerunArgs)} status ${followed}\``);
            return ExitCode.Interrupted;
          }
          out.document(final);
          for (const line of instanceDetails(out, final, session.hintCommand(target.rerunArgs))) out.line(line);
          return exitCodeOf(final);
        }),
      );
  },
};
