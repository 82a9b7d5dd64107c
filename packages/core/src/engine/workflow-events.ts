/** The engine's typed events: every history event, plus `step.started` when an attempt begins. */
import type { HistoryEvent, HistoryEventType } from '../model/instance.types.js';

/** Names of the engine's events. */
export type WorkflowEventName = HistoryEventType | 'step.started';

/** What a listener receives. */
export interface WorkflowEvent extends Omit<HistoryEvent, 'type'> {
  type: WorkflowEventName;
  definitionName: string;
  definitionVersion: string;
}

/** A listener of one event name (or `*` for all). */
export type WorkflowEventListener = (event: WorkflowEvent) => void;

/** A small typed emitter; a throwing listener is reported through `onListenerError`, never to the engine. */
export class WorkflowEventEmitter {
  private readonly listeners = new Map<string, Set<WorkflowEventListener>>();

  constructor(private readonly onListenerError: (error: unknown, event: WorkflowEvent) => void) {}

  on(name: WorkflowEventName | '*', listener: WorkflowEventListener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => this.off(name, listener);
  }

  off(name: WorkflowEventName | '*', listener: WorkflowEventListener): void {
    this.listeners.get(name)?.delete(listener);
  }

  /** True when someone listens to `name` or to `*`. */
  has(name: WorkflowEventName): boolean {
    return (this.listeners.get(name)?.size ?? 0) > 0 || (this.listeners.get('*')?.size ?? 0) > 0;
  }

  emit(event: WorkflowEvent): void {
    for (const set of [this.listeners.get(event.type), this.listeners.get('*')]) {
      if (!set) continue;
      for (const listener of set) {
        try {
          listener(event);
        } catch (error) {
          this.onListenerError(error, event);
        }
      }
    }
  }
}
