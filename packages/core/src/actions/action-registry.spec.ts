import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ActionNotFoundError, ErrorCode, WorkflowError } from '../errors.js';
import { ActionResult } from './action-result.js';
import type { ActionClass, ActionContext, ActionHandler, ActionImplementation } from './action.types.js';
import { ActionRegistry, isActionClass } from './action-registry.js';
import { getWorkflowActionMetadata, WorkflowAction, WORKFLOW_ACTION_METADATA } from './workflow-action.decorator.js';

/** Only the fields the actions below read. */
const ctx = (data: Record<string, unknown> = {}) => ({ data, attempt: 1 }) as unknown as ActionContext;

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('@WorkflowAction', () => {
  it('records name and options on the class', () => {
    @WorkflowAction('validate_order', { retry: { attempts: 3 } })
    class ValidateOrder {
      execute() {}
    }
    expect(getWorkflowActionMetadata(ValidateOrder)).toEqual({ name: 'validate_order', options: { retry: { attempts: 3 } } });
    expect(Reflect.getOwnMetadata(WORKFLOW_ACTION_METADATA, ValidateOrder)).toEqual({ name: 'validate_order', options: { retry: { attempts: 3 } } });
  });

  it('defaults options to {}', () => {
    @WorkflowAction('a')
    class A {
      execute() {}
    }
    expect(getWorkflowActionMetadata(A)).toEqual({ name: 'a', options: {} });
  });

  it.each(['', '   '])('throws a TypeError for the name %j', (name) => {
    expect(() => WorkflowAction(name)).toThrow(TypeError);
    expect(() => WorkflowAction(name)).toThrow(/non-empty string/);
  });

  it('has no metadata for undecorated classes, non-functions and subclasses of decorated classes', () => {
    @WorkflowAction('base')
    class Base {
      execute() {}
    }
    class Sub extends Base {}
    expect(getWorkflowActionMetadata(class {})).toBeUndefined();
    expect(getWorkflowActionMetadata({ execute() {} })).toBeUndefined();
    expect(getWorkflowActionMetadata(undefined)).toBeUndefined();
    expect(getWorkflowActionMetadata(Sub)).toBeUndefined();
  });
});

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

  describe('invalid registrations', () => {
    it.each([
      ['null', null],
      ['a number', 42],
      ['a string', 'validate_order'],
      ['an object without execute', { run() {} }],
      ['an object whose execute is not a function', { execute: 'no' }],
    ])('rejects %s with WF_ACTION_INVALID', (_label, impl) => {
      const reg = new ActionRegistry();
      const error = thrown(() => reg.register('bad', impl as unknown as ActionImplementation));
      expect(error).toBeInstanceOf(WorkflowError);
      expect((error as WorkflowError).code).toBe(ErrorCode.ActionInvalid);
      expect((error as WorkflowError).code).toBe('WF_ACTION_INVALID');
      expect((error as WorkflowError).message).toContain('Action "bad" must be a function, a class with an execute(ctx) method, or an object with one');
      expect((error as WorkflowError).details).toEqual({ action: 'bad' });
      expect(reg.has('bad')).toBe(false);
    });

    it.each(['', '  '])('rejects the name %j with WF_ACTION_INVALID', (name) => {
      const error = thrown(() => new ActionRegistry().register(name, () => undefined));
      expect((error as WorkflowError).code).toBe('WF_ACTION_INVALID');
      expect((error as Error).message).toMatch(/name must be a non-empty string/);
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

    it('rejects an undecorated class, naming it and the fix', () => {
      class NotDecorated {
        execute() {}
      }
      const error = thrown(() => new ActionRegistry().registerClasses([NotDecorated]));
      expect((error as WorkflowError).code).toBe('WF_ACTION_INVALID');
      expect((error as Error).message).toBe(
        "Class NotDecorated has no @WorkflowAction('name') decorator; decorate it or use registerAction(name, NotDecorated).",
      );
    });

    it('says (anonymous) for an anonymous undecorated class', () => {
      const anon = [class { execute() {} }][0] as ActionClass;
      expect(anon.name).toBe('');
      expect(() => new ActionRegistry().registerClasses([anon])).toThrow(
        "Class (anonymous) has no @WorkflowAction('name') decorator; decorate it or use registerAction(name, cls).",
      );
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

  describe('unknown names', () => {
    it('throws ActionNotFoundError listing the registered names', () => {
      const reg = new ActionRegistry();
      reg.register('validate_order', () => undefined);
      reg.register('process_payment', () => undefined);
      const error = thrown(() => reg.resolve('ship_order'));
      expect(error).toBeInstanceOf(ActionNotFoundError);
      expect(error).toBeInstanceOf(WorkflowError);
      const e = error as ActionNotFoundError;
      expect(e.code).toBe('WF_ACTION_NOT_FOUND');
      expect(e.actionName).toBe('ship_order');
      expect(e.details).toEqual({ action: 'ship_order' });
      expect(e.message).toContain(`engine.registerAction('ship_order', ...)`);
      expect(e.message).toContain(`@WorkflowAction('ship_order')`);
      expect(e.message).toContain('registered: validate_order, process_payment.');
    });

    it('says none are registered on an empty registry', () => {
      expect(() => new ActionRegistry().resolve('x')).toThrow(/none are registered yet\.$/);
    });
  });
});

describe('ActionRegistry: classes without execute', () => {
  it('refuses a class with no execute method at registration', () => {
    const registry = new ActionRegistry();
    class NoExecute {
      run() {}
    }
    expect(() => registry.register('x', NoExecute as never)).toThrow('Action "x": class NoExecute has no execute(ctx) method');
  });
});
