import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { ActionNotFoundError, ErrorCode, WorkflowError } from '../errors.js';
import type { ActionClass, ActionImplementation } from './action.types.js';
import { ActionRegistry } from './action-registry.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('ActionRegistry', () => {
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
