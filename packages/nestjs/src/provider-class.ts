/** Helpers the explorers share: which class a provider is, and whether it has one instance. */
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { InvalidWorkflowProviderError } from './invalid-workflow-provider.error.js';
import { REQUEST_SCOPED_PROVIDER } from './workflow.messages.js';

/** The class behind a provider: its metatype, or for factory and value providers its instance's constructor. */
export function providerClass(wrapper: InstanceWrapper): Function | undefined {
  if (wrapper.isAlias) return undefined;
  const { instance, metatype } = wrapper;
  if (!metatype || wrapper.inject) {
    const ctor = (instance as { constructor?: unknown } | null | undefined)?.constructor;
    return typeof ctor === 'function' && ctor !== Object ? ctor : undefined;
  }
  return metatype;
}

/** Refuse request-scoped and transient providers: the engine needs one long-lived instance. */
export function assertSingleton(wrapper: InstanceWrapper, cls: Function, kind: string): void {
  const name = cls.name || String(wrapper.name);
  if (wrapper.isTransient) throw new InvalidWorkflowProviderError(REQUEST_SCOPED_PROVIDER(kind, name, 'transient'), name);
  if (!wrapper.isDependencyTreeStatic()) throw new InvalidWorkflowProviderError(REQUEST_SCOPED_PROVIDER(kind, name, 'request'), name);
}
