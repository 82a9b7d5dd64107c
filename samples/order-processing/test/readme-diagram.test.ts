/** The root README shows the order workflow as a Mermaid diagram: it is exactly what toMermaid draws of this sample's definition. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ActionRegistry, parseDefinition, toMermaid } from '@workflow-mastery/core';
import { orderActions } from '../src/order-actions.js';
import { orderProcessingWorkflow } from '../src/order-processing.workflow.js';

const README = path.resolve(import.meta.dirname, '../../../README.md');

describe('README diagram', () => {
  it('is toMermaid(order processing), regenerated when the definition changes', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(orderActions);
    const drawn = toMermaid(parseDefinition(orderProcessingWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) }));
    const blocks = [...readFileSync(README, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    // On a change: paste this test's "Received" text into the README's ```mermaid block.
    expect(blocks.find((b) => b!.includes('%% order_processing@'))).toBe(drawn);
  });
});
