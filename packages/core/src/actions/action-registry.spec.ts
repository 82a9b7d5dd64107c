import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from './action-result.js';
import type { ActionClass, ActionContext, ActionHandler } from './action.types.js';
import { ActionRegistry, isActionClass } from './action-registry.js';
import { WorkflowAction } from './workflow-action.decorator.js';

/** Only the fields the actions below read. */
const ctx = (data: Record<string, unknown> = {}) => ({ data, attempt: 1 }) as unknown as ActionContext;

describe('isActionClass', () => {
  it('is true only for functions with execute on the prototype', () => {
    expect(isActionClass(class { execute() {} })).toBe(true);
    expect(isActionClass(class {})).toBe(false);
    expect(isActionClass(() => undefined)).toBe(false);
    expect(isActionClass({ execute() {} })).toBe(false);
  });
});

describe('ActionRegistry', () => {
  describe('register / resolve', () => {
    it('wraps a function and passes the context through', async () => {
      const reg = new ActionRegistry();
      reg.register('double', (c) => ({ doubled: (c.data.n as number) * 2 }));
      const { name, handler, options } = reg.resolve('double');
      expect(name).toBe('double');
      expect(options).toEqual({});
      expect(await handler.execute(ctx({ n: 21 }))).toEqual({ doubled: 42 });
    });

    it('wraps an async function', async () => {
      const reg = new ActionRegistry();
      reg.register('later', async () => ActionResult.success({ ok: true }));
      const result = await reg.resolve('later').handler.execute(ctx());
      expect(ActionResult.is(result)).toBe(true);
    });

    it('uses an instance as is', () => {
      const reg = new ActionRegistry();
      const instance = { calls: 0, execute() { this.calls++; } };
      reg.register('inst', instance);
      const { handler } = reg.resolve('inst');
      expect(handler).toBe(instance);
      void handler.execute(ctx());
      expect(instance.calls).toBe(1);
    });

    it('builds a class with new, lazily and only once', async () => {
      let built = 0;
      class Counter {
        private n = 0;
        constructor() {
          built++;
        }
        execute() {
          return { n: ++this.n };
        }
      }
      const reg = new ActionRegistry();
      reg.register('counter', Counter);
      expect(built).toBe(0);
      const first = reg.resolve('counter').handler;
      expect(built).toBe(1);
      expect(first).toBeInstanceOf(Counter);
      const second = reg.resolve('counter').handler;
      expect(second).toBe(first);
      expect(built).toBe(1);
      expect(await second.execute(ctx())).toEqual({ n: 1 });
      expect(await first.execute(ctx())).toEqual({ n: 2 }); // state is shared: one instance
    });

    it('builds a class with the registry default factory', () => {
      class NeedsDep {
        constructor(readonly dep: string) {}
        execute() {
          return { dep: this.dep };
        }
      }
      const seen: ActionClass[] = [];
      const reg = new ActionRegistry((cls) => {
        seen.push(cls);
        return new cls('from-container');
      });
      reg.register('dep', NeedsDep);
      expect(seen).toEqual([]);
      expect(reg.resolve('dep').handler.execute(ctx())).toEqual({ dep: 'from-container' });
      reg.resolve('dep');
      expect(seen).toEqual([NeedsDep]);
    });

    it('prefers a per-registration factory over the default one', () => {
      class A {
        constructor(readonly by: string) {}
        execute() {
          return { by: this.by };
        }
      }
      const reg = new ActionRegistry((cls) => new cls('default'));
      reg.register('a', A, {}, (cls) => new cls('own'));
      reg.register('b', A);
      expect(reg.resolve('a').handler.execute(ctx())).toEqual({ by: 'own' });
      expect(reg.resolve('b').handler.execute(ctx())).toEqual({ by: 'default' });
    });

    it('does not pass plain functions or instances to the factory', () => {
      const seen: unknown[] = [];
      const reg = new ActionRegistry((cls) => {
        seen.push(cls);
        return new cls();
      });
      reg.register('fn', () => undefined);
      reg.register('obj', { execute() {} });
      reg.resolve('fn');
      reg.resolve('obj');
      expect(seen).toEqual([]);
    });

    it('registering a name twice replaces it', () => {
      const reg = new ActionRegistry();
      reg.register('x', () => ({ v: 1 }));
      reg.register('x', () => ({ v: 2 }));
      expect(reg.names()).toEqual(['x']);
      expect(reg.resolve('x').handler.execute(ctx())).toEqual({ v: 2 });
    });

    it('has / names / optionsOf', () => {
      const reg = new ActionRegistry();
      reg.register('a', () => undefined, { retry: { attempts: 2 } });
      reg.register('b', () => undefined);
      expect(reg.has('a')).toBe(true);
      expect(reg.has('c')).toBe(false);
      expect(reg.names()).toEqual(['a', 'b']);
      expect(reg.optionsOf('a')).toEqual({ retry: { attempts: 2 } });
      expect(reg.optionsOf('c')).toEqual({});
    });
  });

  describe('registerClasses', () => {
    it('reads names and options from the decorator and builds with the given factory', () => {
      @WorkflowAction('reserve_inventory', { compensation: 'release_inventory' })
      class Reserve {
        constructor(readonly tag = 'new') {}
        execute() {
          return { tag: this.tag };
        }
      }
      @WorkflowAction('release_inventory')
      class Release {
        constructor(readonly tag = 'new') {}
        execute() {
          return { tag: this.tag };
        }
      }
      const reg = new ActionRegistry();
      reg.registerClasses([Reserve, Release], (cls) => new cls('factory'));
      expect(reg.names()).toEqual(['reserve_inventory', 'release_inventory']);
      expect(reg.optionsOf('reserve_inventory')).toEqual({ compensation: 'release_inventory' });
      expect(reg.optionsOf('release_inventory')).toEqual({});
      expect(reg.resolve('reserve_inventory').handler).toBeInstanceOf(Reserve);
      expect(reg.resolve('reserve_inventory').handler.execute(ctx())).toEqual({ tag: 'factory' });
    });

    it('builds with new when no factory is given', () => {
      @WorkflowAction('plain')
      class Plain {
        execute() {}
      }
      const reg = new ActionRegistry();
      reg.registerClasses([Plain]);
      expect(reg.resolve('plain').handler).toBeInstanceOf(Plain);
    });
  });

  describe('options merging', () => {
    @WorkflowAction('pay', { compensation: 'refund', retry: { attempts: 5, delay: '30s' } })
    class Pay {
      execute() {}
    }

    it('register() picks up the decorator options of a class', () => {
      const reg = new ActionRegistry();
      reg.register('pay', Pay);
      expect(reg.optionsOf('pay')).toEqual({ compensation: 'refund', retry: { attempts: 5, delay: '30s' } });
      expect(reg.resolve('pay').options).toEqual({ compensation: 'refund', retry: { attempts: 5, delay: '30s' } });
    });

    it('explicit options override the decorator per key (shallow) and keep the rest', () => {
      const reg = new ActionRegistry();
      reg.register('pay', Pay, { retry: { attempts: 1 } });
      expect(reg.optionsOf('pay')).toEqual({ compensation: 'refund', retry: { attempts: 1 } });
    });

    it('the explicit name wins over the decorated one', () => {
      const reg = new ActionRegistry();
      reg.register('charge', Pay);
      expect(reg.has('charge')).toBe(true);
      expect(reg.has('pay')).toBe(false);
      expect(reg.nameOf(Pay)).toBe('charge');
    });
  });

  describe('nameOf', () => {
    it('finds classes, functions and instances by reference', () => {
      class Ship {
        execute() {}
      }
      const notify = () => undefined;
      const audit: ActionHandler = { execute() {} };
      const reg = new ActionRegistry();
      reg.register('ship', Ship);
      reg.register('notify', notify);
      reg.register('audit', audit);
      expect(reg.nameOf(Ship)).toBe('ship');
      expect(reg.nameOf(notify)).toBe('notify');
      expect(reg.nameOf(audit)).toBe('audit');
    });

    it('falls back to the decorator name of a class never registered', () => {
      @WorkflowAction('send_email')
      class SendEmail {
        execute() {}
      }
      expect(new ActionRegistry().nameOf(SendEmail)).toBe('send_email');
    });

    it('is undefined for unknown references', () => {
      const reg = new ActionRegistry();
      reg.register('f', () => undefined);
      expect(reg.nameOf(() => undefined)).toBeUndefined();
      expect(reg.nameOf(class { execute() {} })).toBeUndefined();
      expect(reg.nameOf({ execute() {} })).toBeUndefined();
      expect(reg.nameOf('f')).toBeUndefined();
      expect(reg.nameOf(undefined)).toBeUndefined();
    });
  });
});
