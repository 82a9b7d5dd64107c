/** What `run FILE` and `start FILE|NAME` run: a definition file, a module, or a registered name. */
import path from 'node:path';
import { ErrorCode, type WorkflowDefinitionInput, type WorkflowEngine, type WorkflowDefinition } from '@workflow-mastery/core';
import { CliError } from './cli-error.js';
import { MISSING_ACTIONS_HINT } from './cli.messages.js';
import { isDefinitionFile, readDefinitionFile } from './definition-file.js';
import { loadWorkflowModule } from './workflow-module.js';
import type { WorkflowSources } from './workflow-sources.js';

/** The definition to run and what its file brings along. */
export interface RunTarget {
  /** The definition itself, or its name when it comes from `--module`/`--definition`. */
  definition: WorkflowDefinitionInput | string;
  /** Definitions and actions the file itself exports (a module). */
  extra: Partial<WorkflowSources>;
  /** What a later command needs to see the same definition: `--module FILE` or `--definition FILE`, as given. */
  rerunArgs: string[];
}

/**
 * `target` is a `.json`/`.yaml`/`.yml` file, an ES module file (its `definition`/`default` export, or
 * its only `definitions` entry, or the one named `workflow`), or the name of a definition from `--module`.
 */
export async function resolveRunTarget(target: string, workflow: string | undefined, cwd: string): Promise<RunTarget> {
  const file = path.resolve(cwd, target);
  if (isDefinitionFile(target)) return { definition: await readDefinitionFile(file), extra: {}, rerunArgs: ['--definition', target] };
  if (/\.(c|m)?js$/i.test(target)) {
    const mod = await loadWorkflowModule(file);
    const chosen = workflow !== undefined ? mod.definitions.find((d) => d.name === workflow) : mod.main ?? (mod.definitions.length === 1 ? mod.definitions[0] : undefined);
    if (!chosen) {
      const names = mod.definitions.map((d) => d.name).join(', ') || 'none';
      throw new CliError(
        workflow !== undefined
          ? `${target} has no definition "${workflow}"; it defines: ${names}`
          : `${target} exports several definitions (${names}); choose one with --workflow NAME`,
        1,
        'CLI_MODULE',
      );
    }
    return { definition: chosen, extra: { definitions: mod.definitions, actions: mod.actions }, rerunArgs: ['--module', target] };
  }
  // Not a file we read: the name of a definition registered from --module / --definition.
  return { definition: target, extra: {}, rerunArgs: [] };
}

/**
 * Register (or look up, here or in the store) the target's definition and check that every action it uses is registered,
 * with a message that says where actions come from.
 */
export async function prepareDefinition(engine: WorkflowEngine, definition: WorkflowDefinitionInput | string, version?: string): Promise<WorkflowDefinition> {
  // By name: registered here, or deployed (stored) by any process on this database.
  const def = typeof definition === 'string' ? await engine.loadDefinition(definition, version) : engine.registerDefinition(definition);
  const missing = new Set<string>();
  for (const step of Object.values(def.steps)) {
    if (!engine.actions.has(step.action)) missing.add(step.action);
    if (step.compensation && !engine.actions.has(step.compensation)) missing.add(step.compensation);
  }
  if (missing.size > 0) {
    throw new CliError(`workflow "${def.name}" uses actions that are not registered: ${[...missing].join(', ')}; ${MISSING_ACTIONS_HINT}`, 1, ErrorCode.ActionNotFound);
  }
  return def;
}
