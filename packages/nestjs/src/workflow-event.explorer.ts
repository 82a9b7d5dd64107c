/** Subscribes `@OnWorkflowEvent` methods of providers and controllers to the engine. */
import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { WorkflowEngine, type WorkflowEvent } from '@workflow-mastery/core';
import { getOnWorkflowEventMetadata } from './on-workflow-event.decorator.js';
import { assertSingleton, providerClass } from './provider-class.js';

/** Finds `@OnWorkflowEvent` methods and subscribes them, each with its own error containment. */
@Injectable()
export class WorkflowEventExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Subscribe every listener; returns one function that unsubscribes them all. */
  explore(): () => void {
    const unsubscribe: Array<() => void> = [];
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const cls = providerClass(wrapper);
      if (!cls?.prototype) continue;
      for (const method of this.scanner.getAllMethodNames(cls.prototype)) {
        const metas = getOnWorkflowEventMetadata((cls.prototype as Record<string, unknown>)[method]);
        if (metas.length === 0) continue;
        assertSingleton(wrapper, cls, `a workflow event listener (@OnWorkflowEvent on ${cls.name}.${method})`);
        const instance = wrapper.instance as Record<string, (event: WorkflowEvent) => unknown>;
        for (const { events, options } of metas) {
          const definitions = options.definition === undefined ? undefined : new Set([options.definition].flat());
          const listener = (event: WorkflowEvent) => {
            if (definitions && !definitions.has(event.definitionName)) return;
            const out = instance[method]!(event);
            if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
              (out as Promise<unknown>).then(undefined, (error: unknown) =>
                this.engine.logger.error({ err: error, event: event.type, workflowId: event.instanceId, listener: `${cls.name}.${method}` }, 'workflow event listener failed'),
              );
            }
          };
          for (const name of new Set(events)) unsubscribe.push(this.engine.on(name, listener));
        }
      }
    }
    return () => {
      for (const off of unsubscribe.splice(0)) off();
    };
  }
}
