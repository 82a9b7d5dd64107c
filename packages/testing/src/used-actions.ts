/** Which actions the definitions of a test engine use, and which of them nothing implements. */
import type { WorkflowDefinition, WorkflowEngine } from '@workflow-mastery/core';

/** Actions and compensations `def` runs (compensations registered as an action's default included). */
export function actionsOfDefinition(engine: WorkflowEngine, def: WorkflowDefinition): string[] {
  const names = new Set<string>();
  for (const step of Object.values(def.steps)) {
    names.add(step.action);
    const compensation = step.compensation ?? engine.actions.optionsOf(step.action).compensation;
    if (compensation !== undefined) {
      const name = typeof compensation === 'string' ? compensation : engine.actions.nameOf(compensation);
      if (name) names.add(name);
    }
  }
  return [...names];
}

/** Every action any definition known to `engine` uses, sorted. */
export function actionsOf(engine: WorkflowEngine): string[] {
  const names = new Set<string>();
  for (const def of engine.listDefinitions()) for (const name of actionsOfDefinition(engine, def)) names.add(name);
  return [...names].sort();
}

/** Actions `def` uses that are neither given nor mocked. */
export function missingActions(engine: WorkflowEngine, def: WorkflowDefinition): string[] {
  return actionsOfDefinition(engine, def).filter((name) => !engine.actions.has(name));
}
