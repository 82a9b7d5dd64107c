/** Finds `@WorkflowAction` providers and registers their instances on the engine. */
import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { getWorkflowActionMetadata, WorkflowEngine } from '@workflow-mastery/core';
import { InvalidWorkflowProviderError } from './invalid-workflow-provider.error.js';
import { assertSingleton, providerClass } from './provider-class.js';
import { ACTION_WITHOUT_EXECUTE, DUPLICATE_ACTION } from './workflow.messages.js';

/**
 * Discovers providers whose class carries core's `@WorkflowAction(name, options)` and registers
 * the provider's instance (built by Nest, with its constructor injection) under that name.
 */
@Injectable()
export class WorkflowActionExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Register every action provider; returns the names registered. */
  explore(): string[] {
    const found = new Map<string, Function>();
    for (const wrapper of this.discovery.getProviders()) {
      const cls = providerClass(wrapper);
      const meta = getWorkflowActionMetadata(cls);
      if (!cls || !meta) continue;
      assertSingleton(wrapper, cls, `a workflow action (@WorkflowAction('${meta.name}'))`);
      const first = found.get(meta.name);
      if (first === cls) continue; // the same class provided by several modules: one is enough
      if (first) throw new InvalidWorkflowProviderError(DUPLICATE_ACTION(meta.name, first.name, cls.name), cls.name);
      const instance = wrapper.instance as { execute?: unknown } | undefined;
      if (typeof instance?.execute !== 'function') throw new InvalidWorkflowProviderError(ACTION_WITHOUT_EXECUTE(meta.name, cls.name), cls.name);
      this.engine.registerAction(meta.name, instance as { execute: never }, meta.options);
      found.set(meta.name, cls);
    }
    return [...found.keys()];
  }
}
