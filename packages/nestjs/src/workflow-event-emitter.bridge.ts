/** Re-emits engine events on the app's `EventEmitter2`, when `@nestjs/event-emitter` is in use. */
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { WorkflowEngine } from '@workflow-mastery/core';
import { importModule } from './optional-import.js';
import { EVENT_EMITTER_PACKAGE } from './workflow.constants.js';
import { WORKFLOW_MODULE_OPTIONS } from './workflow-module.definition.js';
import type { WorkflowModuleOptions } from './workflow-module-options.interface.js';

interface Emitter {
  emit(event: string, ...values: unknown[]): boolean;
}

/**
 * When the app imports `EventEmitterModule.forRoot()`, every engine event is emitted on its
 * `EventEmitter2` under the engine's own dotted name (`step.completed`, `workflow.failed`...;
 * prefixed with `eventEmitter.prefix` when set) with the {@link WorkflowEvent} as payload, so
 * `@OnEvent('workflow.completed')` works. Without the package or the module, nothing happens.
 */
@Injectable()
export class WorkflowEventEmitterBridge {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly engine: WorkflowEngine,
    @Inject(WORKFLOW_MODULE_OPTIONS) private readonly options: WorkflowModuleOptions,
  ) {}

  /** Connect if an EventEmitter2 is available; returns the disconnect function, if connected. */
  async connect(): Promise<(() => void) | undefined> {
    const setting = this.options.eventEmitter ?? true;
    if (setting === false) return undefined;
    const emitter = await this.findEmitter();
    if (!emitter) return undefined;
    const prefix = typeof setting === 'object' ? (setting.prefix ?? '') : '';
    return this.engine.on('*', (event) => {
      emitter.emit(`${prefix}${event.type}`, event);
    });
  }

  private async findEmitter(): Promise<Emitter | undefined> {
    let token: unknown;
    try {
      token = (await importModule(EVENT_EMITTER_PACKAGE)).EventEmitter2;
    } catch {
      return undefined; // the optional package is not installed
    }
    if (typeof token !== 'function') return undefined;
    try {
      const emitter = this.moduleRef.get<unknown, Emitter>(token as new () => unknown, { strict: false });
      return typeof emitter?.emit === 'function' ? emitter : undefined;
    } catch {
      return undefined; // EventEmitterModule is not imported
    }
  }
}
