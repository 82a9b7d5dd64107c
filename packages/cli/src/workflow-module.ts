/** Loads `--module` files: ES modules exporting `definitions` and `actions`. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ActionImplementation, WorkflowDefinitionInput } from '@workflow-mastery/core';
import { CliError } from './cli-error.js';

/** What a workflow module contributes. */
export interface WorkflowModule {
  /** `definitions` (an array) plus `definition` (one), when exported. */
  definitions: WorkflowDefinitionInput[];
  /** `actions`: a record of action name → function, class or object with `execute`. */
  actions: Record<string, ActionImplementation>;
  /** The module's own single definition (`definition` or `default`), for `run MODULE`. */
  main?: WorkflowDefinitionInput;
}

/**
 * Import `file` and read its `definitions`, `definition`, `default` and `actions` exports (also
 * under a `default` object export).
 * @throws CliError when the file is missing, fails to load, or exports none of them.
 */
export async function loadWorkflowModule(file: string): Promise<WorkflowModule> {
  const absolute = path.resolve(file);
  const shown = path.relative(process.cwd(), absolute) || file;
  try {
    await stat(absolute);
  } catch {
    throw new CliError(`${shown}: no such file`, 1, 'CLI_FILE');
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`cannot load module ${shown}: ${(error as Error).message}`, 1, 'CLI_MODULE', { cause: error });
  }
  const def = exports.default;
  const nested = isDefinitionLike(def) ? {} : (def as Record<string, unknown> | undefined) ?? {};
  const definitions = exports.definitions ?? nested.definitions;
  const actions = exports.actions ?? nested.actions;
  const main = exports.definition ?? nested.definition ?? (isDefinitionLike(def) ? def : undefined);
  if (definitions !== undefined && !Array.isArray(definitions)) {
    throw new CliError(`${shown}: \`definitions\` must be an array of definitions`, 1, 'CLI_MODULE');
  }
  if (actions !== undefined && (typeof actions !== 'object' || actions === null || Array.isArray(actions))) {
    throw new CliError(`${shown}: \`actions\` must be an object of action name → implementation`, 1, 'CLI_MODULE');
  }
  if (definitions === undefined && actions === undefined && main === undefined) {
    throw new CliError(`${shown} exports neither \`definitions\`, \`definition\` nor \`actions\``, 1, 'CLI_MODULE');
  }
  const all = [...((definitions as WorkflowDefinitionInput[] | undefined) ?? [])];
  if (main !== undefined && !all.includes(main as WorkflowDefinitionInput)) all.push(main as WorkflowDefinitionInput);
  return {
    definitions: all,
    actions: (actions as Record<string, ActionImplementation> | undefined) ?? {},
    ...(main !== undefined ? { main: main as WorkflowDefinitionInput } : {}),
  };
}

function isDefinitionLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'steps' in value && 'name' in value;
}
