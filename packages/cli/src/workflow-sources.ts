/** The definitions and actions a command registers: from `--module` and `--definition` files. */
import type { ActionImplementation, WorkflowDefinitionInput } from '@workflow-mastery/core';
import { readDefinitionFile } from './definition-file.js';
import { loadWorkflowModule } from './workflow-module.js';

/** Definitions and actions to register in the engine. */
export interface WorkflowSources {
  definitions: WorkflowDefinitionInput[];
  actions: Record<string, ActionImplementation>;
}

/** Nothing registered. */
export function emptySources(): WorkflowSources {
  return { definitions: [], actions: {} };
}

/** `a` then `b`: definitions appended, actions of `b` win on a name clash. */
export function mergeSources(a: WorkflowSources, b: Partial<WorkflowSources>): WorkflowSources {
  return { definitions: [...a.definitions, ...(b.definitions ?? [])], actions: { ...a.actions, ...(b.actions ?? {}) } };
}

/** Load every `--module` (in order) and every `--definition` file. */
export async function loadSources(modules: readonly string[], definitionFiles: readonly string[]): Promise<WorkflowSources> {
  let sources = emptySources();
  for (const file of modules) sources = mergeSources(sources, await loadWorkflowModule(file));
  for (const file of definitionFiles) sources = mergeSources(sources, { definitions: [await readDefinitionFile(file)] });
  return sources;
}
