/** Data entering the engine from code: nesting limit and prototype keys, as WorkflowErrors (never a RangeError). */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { JsonObject } from '../definition/definition.types.js';
import { checkJsonInput, MAX_JSON_DEPTH, toJsonObject } from './json-value.js';
import { setup, ok } from '../../test/support/engine-setup.js';

/** `{ a: { a: ... 1 } }` with `depth` objects, built without recursion. */
function deepObject(depth: number): JsonObject {
  let value: JsonObject = { a: 1 };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

function deepArray(depth: number): unknown[] {
  let value: unknown[] = [1];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

/** The error `fn` throws (or rejects with). */
async function failure(fn: () => unknown): Promise<WorkflowError> {
  try {
    await fn();
  } catch (error) {
    return error as WorkflowError;
  }
  throw new Error('expected a failure');
}

describe('JSON input checks', () => {
  it('accepts 64 levels and refuses 65, objects and arrays, at any depth without overflowing the stack', async () => {
    expect(checkJsonInput(deepObject(MAX_JSON_DEPTH), 'data')).toBe(true);
    expect(checkJsonInput({ list: deepArray(MAX_JSON_DEPTH - 1) }, 'data')).toBe(true);
    for (const value of [deepObject(65), { list: deepArray(64) }, deepObject(100_000), { list: deepArray(100_000) }]) {
      const error = await failure(() => checkJsonInput(value, 'data'));
      expect(error).toBeInstanceOf(WorkflowError);
      expect(error.code).toBe(ErrorCode.InputInvalid);
      expect(error.message).toMatch(/^data\.(a|list).* is nested deeper than 64 levels/);
    }
  });

  it('refuses __proto__ and constructor.prototype keys, naming their path', async () => {
    const proto = JSON.parse('{"x":{"__proto__":{"polluted":true}}}') as JsonObject;
    expect((await failure(() => checkJsonInput(proto, 'data'))).message).toContain('"__proto__" at data.x.__proto__');
    const ctor = { items: [{ constructor: { prototype: { polluted: true } } }] };
    expect((await failure(() => checkJsonInput(ctor, 'payload'))).message).toContain('"constructor.prototype" at payload.items.0.constructor');
    // A plain key named constructor is data like any other.
    expect(checkJsonInput({ constructor: 'Acme Builders' }, 'data')).toBe(true);
  });

  it('toJsonObject copies what is not plain JSON and turns what cannot be JSON into WF_INPUT_INVALID', async () => {
    const at = new Date(0);
    expect(toJsonObject({ at, skip: undefined }, 'data')).toEqual({ at: at.toISOString() });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    // A cycle is infinitely deep: the walk stops at the limit.
    expect((await failure(() => toJsonObject(cyclic, 'data'))).code).toBe(ErrorCode.InputInvalid);
    expect((await failure(() => toJsonObject({ n: 10n }, 'data'))).message).toMatch(/^data cannot be stored as JSON/);
  });

  it('the engine refuses deep or prototype-keyed start data, signal payloads and task data from code, storing nothing', async () => {
    const { engine } = setup();
    engine.registerAction('wait', () => ActionResult.wait({ signal: 'go' }));
    engine.registerAction('ok', ok);
    engine.registerDefinition({ name: 'w', steps: { wait: { action: 'wait' } } });
    engine.registerDefinition({ name: 't', steps: { review: { action: 'ok', assigned_to: 'manager' } } });

    const start = await failure(() => engine.start('w', deepObject(5000)));
    expect([start.code, start.message]).toEqual([ErrorCode.InputInvalid, expect.stringMatching(/^data\.a.* nested deeper than 64/)]);
    expect((await failure(() => engine.start('w', JSON.parse('{"__proto__":{"x":1}}') as JsonObject))).code).toBe(ErrorCode.InputInvalid);
    expect((await engine.listInstances()).items).toHaveLength(0);

    const inst = await engine.waitFor((await engine.start('w')).id);
    const signal = await failure(() => engine.signal(inst.id, 'go', { deep: deepArray(5000) } as JsonObject));
    expect([signal.code, signal.message]).toEqual([ErrorCode.InputInvalid, expect.stringMatching(/^payload\.deep.* nested deeper than 64/)]);
    expect((await engine.getInstance(inst.id)).state).toBe('WAITING');

    const task = await engine.waitFor((await engine.start('t')).id);
    const [open] = await engine.listTasks({ instanceId: task.id });
    const complete = await failure(() => engine.completeTask(open!.id, { constructor: { prototype: {} } } as JsonObject, 'bob'));
    expect([complete.code, complete.message]).toEqual([ErrorCode.InputInvalid, expect.stringContaining('"constructor.prototype" at data.constructor')]);
    await engine.close();
  });

  it('an action whose output nests too deep fails its step with the reason (not retried), instead of crashing the engine', async () => {
    const { engine } = setup();
    let calls = 0;
    engine.registerAction('deep', () => {
      calls++;
      return ActionResult.success({ tree: deepObject(5000) });
    });
    engine.registerDefinition({ name: 'd', steps: { deep: { action: 'deep', retry_attempts: 3 } } });
    const inst = await engine.waitFor((await engine.start('d')).id);
    expect(inst.state).toBe('FAILED');
    expect(inst.steps.deep!.error).toMatchObject({ code: ErrorCode.InputInvalid, retryable: false, message: expect.stringMatching(/^output\.tree.* nested deeper than 64/) });
    expect(calls).toBe(1);
    await engine.close();
  });
});
