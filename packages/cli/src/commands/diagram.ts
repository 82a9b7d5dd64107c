/** `diagram NAME[@VERSION]`: a definition (or an instance's path) as a Mermaid flowchart on stdout. */
import { ErrorCode, isWorkflowError, toMermaid, type InstanceRecord, type WorkflowDefinition, type WorkflowEngine } from '@workflow-mastery/core';
import { CliError, UsageError } from '../cli-error.js';
import { MISSING_DEFINITION_HINT } from '../cli.messages.js';
import type { CliCommand } from '../command.types.js';
import { isDefinitionFile } from '../definition-file.js';
import { resolveRunTarget } from '../run-definition.js';

interface DiagramOptions {
  instance?: string;
  direction?: string;
  workflow?: string;
}

/** `order_processing@2.0` → name and version (a name never holds `@`). */
function splitTarget(target: string): { name: string; version?: string } {
  const at = target.indexOf('@');
  if (at < 0) return { name: target };
  const [name, version] = [target.slice(0, at), target.slice(at + 1)];
  if (name === '' || version === '') throw new UsageError(`"${target}" is not NAME or NAME@VERSION, e.g. order_processing@2.0`);
  return { name, version };
}

/** The definition `name[@version]`, registered from --module/--definition or stored; else an error naming the known ones. */
async function loadNamed(engine: WorkflowEngine, name: string, version: string | undefined): Promise<WorkflowDefinition> {
  try {
    return await engine.loadDefinition(name, version);
  } catch (error) {
    if (!isWorkflowError(error) || error.code !== ErrorCode.DefinitionNotFound) throw error;
    const known = (await engine.listDefinitionVersions()).map((d) => `${d.name}@${d.version}`);
    const what = version === undefined ? `"${name}"` : `"${name}@${version}"`;
    throw new CliError(
      known.length
        ? `no workflow definition ${what} in --module/--definition files or the database; known: ${known.join(', ')}`
        : `no workflow definition ${what}: none is known; ${MISSING_DEFINITION_HINT}, or deploy it to the database`,
      1,
      ErrorCode.DefinitionNotFound,
    );
  }
}

/** A target naming a file (JSON, YAML, ES module) rather than a definition. */
const isFile = (target: string): boolean => isDefinitionFile(target) || /\.(c|m)?js$/i.test(target);

/** The definition a file target holds (a module's `--workflow`, or its only one), registered here. */
async function fromFile(engine: WorkflowEngine, target: string, workflow: string | undefined, cwd: string): Promise<WorkflowDefinition> {
  const { definition } = await resolveRunTarget(target, workflow, cwd);
  return typeof definition === 'string' ? engine.getDefinition(definition) : engine.registerDefinition(definition);
}

/** `workflow-mastery diagram`. */
export const diagramCommand: CliCommand = {
  name: 'diagram',
  register(program, runtime) {
    program
      .command('diagram')
      .description('print a definition as a Mermaid flowchart (steps, guards, transitions, parallel groups, compensations); with --instance, its path and current step')
      .argument('[workflow]', 'NAME or NAME@VERSION (from --module/--definition or the database), or a definition file (.json, .yaml, .js); optional with --instance')
      .option('-i, --instance <id>', "mark this instance's path and current steps (the definition is the one it runs on)")
      .option('--direction <dir>', 'layout: TD (top-down) or LR (left-right)', 'TD')
      .option('-w, --workflow <name>', 'which definition of a module exporting several')
      .action(
        runtime.action<DiagramOptions>(async (session, [target], opts) => {
          const direction = (opts.direction ?? 'TD').toUpperCase();
          if (direction !== 'TD' && direction !== 'LR') throw new UsageError(`--direction must be TD or LR, got "${opts.direction}"`);
          if (target === undefined && opts.instance === undefined) throw new UsageError('diagram needs a definition (NAME, NAME@VERSION or a file) or --instance ID');
          const engine = await session.engine('hand-off', await session.sources());

          let instance: InstanceRecord | undefined;
          let definition: WorkflowDefinition;
          if (opts.instance !== undefined) {
            instance = await engine.getInstance(opts.instance);
            const wanted = target === undefined || isFile(target) ? undefined : splitTarget(target);
            if (wanted && (wanted.name !== instance.definitionName || (wanted.version !== undefined && wanted.version !== instance.definitionVersion))) {
              throw new UsageError(`instance ${instance.id} runs on ${instance.definitionName}@${instance.definitionVersion}, not ${target}; leave the name out to draw the definition it runs on`);
            }
            definition = await engine.loadDefinition(instance.definitionName, instance.definitionVersion);
          } else {
            const named = isFile(target!) ? undefined : splitTarget(target!);
            definition = named ? await loadNamed(engine, named.name, named.version) : await fromFile(engine, target!, opts.workflow, session.io.cwd);
          }

          const history = instance ? await engine.getHistory(instance.id) : undefined;
          const mermaid = toMermaid(definition, { direction, ...(instance ? { instance } : {}), ...(history ? { history } : {}) });
          session.out.document({ name: definition.name, version: definition.version, ...(instance ? { instanceId: instance.id, state: instance.state } : {}), mermaid });
          session.out.line(mermaid.trimEnd());
        }),
      );
  },
};
