/** `deploy FILE`: validate a JSON or YAML definition and store it, without a release. */
import path from 'node:path';
import { DefinitionError } from '@workflow-mastery/core';
import { ExitCode } from '../cli-error.js';
import type { CliCommand } from '../command.types.js';
import { readDefinitionFile } from '../definition-file.js';
import { formatTime } from '../format/time-format.js';
import type { Session } from '../session.js';

interface DeployOptions {
  requireActions?: boolean;
}

/**
 * Every problem of an invalid definition, one per line under the headline (the one-line error
 * format would squeeze a long list into one line).
 */
function reportInvalid(session: Session, shown: string, error: DefinitionError): number {
  const { out, io } = session;
  const count = error.issues.length;
  io.stderr.write(`workflow-mastery: ${shown} is not a valid definition (${count} problem${count === 1 ? '' : 's'}); nothing was stored [${error.code}]\n`);
  for (const issue of error.issues) io.stderr.write(`  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}\n`);
  if (out.json) io.stdout.write(`${JSON.stringify({ error: { code: error.code, message: `${shown} is not a valid definition`, issues: error.issues } }, null, 2)}\n`);
  return ExitCode.Failure;
}

/** `workflow-mastery deploy`. */
export const deployCommand: CliCommand = {
  name: 'deploy',
  register(program, runtime) {
    program
      .command('deploy')
      .description('validate a definition (JSON or YAML) and store it: every engine on this database can then start and continue it, without a release')
      .argument('<file>', 'a definition file (.json, .yaml, .yml)')
      .option('--require-actions', 'refuse it unless every action it uses is registered here (by --module); by default unknown actions are allowed and listed', false)
      .addHelpText(
        'after',
        '\nThe same name@version with the same content again changes nothing ("already stored"); with other content it is refused\n' +
          '[WF_DEFINITION_CONFLICT]: a stored version never changes, give it a new version. Exit code 1 when invalid or refused.',
      )
      .action(
        runtime.action<DeployOptions>(async (session, [file], opts) => {
          const shown = file!;
          const input = await readDefinitionFile(path.resolve(session.io.cwd, file!));
          const engine = await session.engine('hand-off', await session.sources());
          let deployed;
          try {
            deployed = await engine.deployDefinition(input, { allowUnknownActions: !opts.requireActions });
          } catch (error) {
            if (error instanceof DefinitionError) return reportInvalid(session, shown, error);
            throw error;
          }
          const { definition: _compiled, ...summary } = deployed;
          const out = session.out;
          out.document(summary);
          const label = `${deployed.name}@${deployed.version}`;
          out.line(deployed.created ? `${out.c.green('✔')} deployed ${out.c.bold(label)} (new version stored)` : `${out.c.green('✔')} ${out.c.bold(label)} already stored with this content: nothing changed`);
          out.line(`  hash    ${deployed.hash}`);
          out.line(`  stored  ${formatTime(deployed.storedAt)}`);
          if (deployed.unknownActions.length > 0) {
            out.note(out.c.yellow(`warning: actions not registered in this command: ${deployed.unknownActions.join(', ')}; the processes that run ${deployed.name} (serve/worker --module ...) need them`));
          }
          else out.line(out.c.dim(`start it: ${session.hintCommand()} start ${deployed.name} --workflow-version ${deployed.version}`));
          return ExitCode.Ok;
        }),
      );
  },
};
