import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { getWorkflowActionMetadata, WorkflowAction, WORKFLOW_ACTION_METADATA } from './workflow-action.decorator.js';

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
