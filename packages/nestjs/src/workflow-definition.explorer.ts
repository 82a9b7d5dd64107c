/** Registers definitions from the module options and from `@WorkflowDefinitionProvider()` providers. */
import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { WorkflowEngine, type WorkflowDefinition, type WorkflowDefinitionInput } from '@workflow-mastery/core';
import { InvalidWorkflowProviderError } from './invalid-workflow-provider.error.js';
import { assertSingleton, providerClass } from './provider-class.js';
import { isWorkflowDefinitionProvider, type WorkflowDefinitionSource } from './workflow-definition-provider.decorator.js';
import { DEFINITION_PROVIDER_WITHOUT_METHOD, DEFINITIONS_NOT_ARRAY } from './workflow.messages.js';
import { WORKFLOW_MODULE_OPTIONS } from './workflow-module.definition.js';
import type { WorkflowModuleOptions } from './workflow-module-options.interface.js';

/** Registers definitions: the options' first (`definitions`, then `engineOptions.definitions`), then the providers'. */
@Injectable()
export class WorkflowDefinitionExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly engine: WorkflowEngine,
    @Inject(WORKFLOW_MODULE_OPTIONS) private readonly options: WorkflowModuleOptions,
  ) {}

  /** Register them all; returns what was registered, compiled. Call after the actions are registered. */
  async explore(): Promise<WorkflowDefinition[]> {
    const registered: WorkflowDefinition[] = [];
    const register = (defs: Array<WorkflowDefinitionInput | WorkflowDefinition>) => {
      for (const def of defs) registered.push(this.engine.registerDefinition(def));
    };
    register(this.options.definitions ?? []);
    register(this.options.engineOptions?.definitions ?? []);
    for (const wrapper of this.discovery.getProviders()) {
      const cls = providerClass(wrapper);
      if (!cls || !isWorkflowDefinitionProvider(cls)) continue;
      assertSingleton(wrapper, cls, 'a workflow definition provider (@WorkflowDefinitionProvider())');
      const source = wrapper.instance as Partial<WorkflowDefinitionSource> | undefined;
      if (typeof source?.definitions !== 'function') throw new InvalidWorkflowProviderError(DEFINITION_PROVIDER_WITHOUT_METHOD(cls.name), cls.name);
      const defs: unknown = await source.definitions();
      if (!Array.isArray(defs)) throw new InvalidWorkflowProviderError(DEFINITIONS_NOT_ARRAY(cls.name, defs === null ? 'null' : typeof defs), cls.name);
      register(defs as Array<WorkflowDefinitionInput | WorkflowDefinition>);
    }
    return registered;
  }
}
