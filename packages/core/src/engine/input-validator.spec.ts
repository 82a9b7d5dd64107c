import { describe, expect, it } from '@jest/globals';
import { parseDefinition } from '../definition/definition-parser.js';
import type { WorkflowDefinition } from '../definition/definition.types.js';
import { DefinitionError, InputValidationError, type DefinitionIssue } from '../errors.js';
import { compileInputSchema, validateInput } from './input-validator.js';

const orderSchema = {
  type: 'object',
  required: ['order', 'customer'],
  additionalProperties: false,
  properties: {
    customer: { type: 'string', minLength: 1 },
    priority: { type: 'integer', minimum: 1, maximum: 5 },
    order: {
      type: 'object',
      required: ['id', 'total'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        total: { type: 'number', minimum: 0 },
        items: {
          type: 'array',
          items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } },
        },
      },
    },
  },
};

function definition(input?: unknown, name = 'order_processing'): WorkflowDefinition {
  return parseDefinition({ name, steps: { validate: { action: 'validate_order' } }, ...(input === undefined ? {} : { input }) });
}

function issuesOf(def: WorkflowDefinition, data: unknown): DefinitionIssue[] {
  try {
    validateInput(def, data);
  } catch (error) {
    if (error instanceof InputValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected an InputValidationError');
}

const validOrder = () => ({ customer: 'c1', order: { id: 'o1', total: 10, items: [{ sku: 'A', qty: 2 }] } });

describe('validateInput', () => {
  it('accepts data that matches the schema', () => {
    const def = definition(orderSchema);
    expect(() => validateInput(def, validOrder())).not.toThrow();
    expect(() => validateInput(def, { customer: 'c1', order: { id: 'o1', total: 0 } })).not.toThrow();
  });

  it('accepts anything when the definition has no input schema', () => {
    const def = definition();
    expect(def.inputSchema).toBeUndefined();
    for (const data of [{}, { any: 'thing' }, null, 42]) expect(() => validateInput(def, data)).not.toThrow();
  });

  it('reports a missing top-level property at its name', () => {
    expect(issuesOf(definition(orderSchema), { order: { id: 'o1', total: 1 } })).toEqual([{ path: 'customer', message: 'is required' }]);
  });

  it('reports nested required, type, minimum and additionalProperties violations with dotted paths, all at once', () => {
    const data = { customer: 'c1', extra: true, priority: 9, order: { total: -1, coupon: 'X', items: [{ sku: 'A' }, { qty: 0 }] } };
    const issues = issuesOf(definition(orderSchema), data);
    expect(issues).toHaveLength(7);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'is not allowed' },
        { path: 'priority', message: 'must be <= 5' },
        { path: 'order.id', message: 'is required' },
        { path: 'order.coupon', message: 'is not allowed' },
        { path: 'order.total', message: 'must be >= 0' },
        { path: 'order.items.1.sku', message: 'is required' },
        { path: 'order.items.1.qty', message: 'must be >= 1' },
      ]),
    );
  });

  it('reports type mismatches at the offending path', () => {
    const issues = issuesOf(definition(orderSchema), { customer: 7, order: { id: 'o1', total: 'ten', items: {} } });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'customer', message: 'must be string' },
        { path: 'order.total', message: 'must be number' },
        { path: 'order.items', message: 'must be array' },
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('reports a wrong root type at the empty path, shown as (root) in the message', () => {
    let error: unknown;
    try {
      validateInput(definition(orderSchema), 'not an object');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputValidationError);
    const e = error as InputValidationError;
    expect(e.issues).toEqual([{ path: '', message: 'must be object' }]);
    expect(e.message).toBe('Input for workflow "order_processing" is invalid:\n  - (root): must be object');
  });

  it('throws an InputValidationError with code, definition name and issues in its details', () => {
    let error: unknown;
    try {
      validateInput(definition(orderSchema), { order: { id: 'o1', total: -5 } });
    } catch (e) {
      error = e;
    }
    const e = error as InputValidationError;
    expect(e).toBeInstanceOf(InputValidationError);
    expect(e.code).toBe('WF_INPUT_INVALID');
    expect(e.definitionName).toBe('order_processing');
    expect(e.details).toEqual({ definition: 'order_processing', issues: e.issues });
    expect(e.message).toContain('  - customer: is required');
    expect(e.message).toContain('  - order.total: must be >= 0');
  });

  it('validates repeatedly with the same compiled schema', () => {
    const def = definition(orderSchema);
    expect(issuesOf(def, {})).toHaveLength(2);
    expect(() => validateInput(def, validOrder())).not.toThrow();
    expect(issuesOf(def, { customer: '', order: { id: 'o', total: 1 } })).toEqual([
      { path: 'customer', message: 'must NOT have fewer than 1 characters' },
    ]);
  });

  it('keeps definitions apart', () => {
    const strict = definition({ type: 'object', required: ['a'] }, 'strict');
    const loose = definition({ type: 'object' }, 'loose');
    expect(() => validateInput(loose, {})).not.toThrow();
    expect(issuesOf(strict, {})).toEqual([{ path: 'a', message: 'is required' }]);
  });
});

describe('an invalid input schema', () => {
  const bad = { type: 'object', properties: { total: { type: 'money' } } };

  function definitionErrorOf(fn: () => void): DefinitionError {
    try {
      fn();
    } catch (error) {
      if (error instanceof DefinitionError) return error;
      throw error;
    }
    throw new Error('expected a DefinitionError');
  }

  it('is a DefinitionError at path `input` from compileInputSchema', () => {
    const def = definition(bad, 'payments');
    const error = definitionErrorOf(() => compileInputSchema(def));
    expect(error.code).toBe('WF_DEFINITION_INVALID');
    expect(error.definitionName).toBe('payments');
    expect(error.issues).toEqual([{ path: 'input', message: expect.stringContaining('is not a valid JSON Schema') }]);
    expect(error.message).toContain('Invalid workflow definition "payments"');
  });

  it('is the same DefinitionError from validateInput, before any data is checked', () => {
    const error = definitionErrorOf(() => validateInput(definition(bad), {}));
    expect(error.issues).toEqual([{ path: 'input', message: expect.stringContaining('is not a valid JSON Schema') }]);
  });

  it('compileInputSchema is a no-op without a schema and idempotent with a good one', () => {
    expect(() => compileInputSchema(definition())).not.toThrow();
    const def = definition(orderSchema);
    compileInputSchema(def);
    compileInputSchema(def);
    expect(issuesOf(def, {})).toHaveLength(2);
  });
});
