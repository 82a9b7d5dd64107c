/**
 * The HTTP contract's migration and operator routes: move a waiting instance to a version deployed
 * over HTTP (dry run first), migrate every instance of a version a page at a time, retry from a
 * step, skip a step, patch the data; bad input refused with a 4xx and nothing changed.
 */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import type { ContractHarness } from './http-contract-harness.js';
import { movingDefinition } from './http-contract-definitions.js';

/** The event of the history whose type matches `type` and that names `by` as its author. */
async function eventBy(engine: WorkflowEngine, id: string, type: RegExp, by = 'alice') {
  return (await engine.getHistory(id)).find((e) => type.test(e.type) && (e.data as { by?: unknown } | undefined)?.by === by);
}

/** Registers the cases of the migration and operator routes. */
export function operatorCases(h: ContractHarness): void {
  const { setup, expectError } = h;

  /** An engine whose `contract_moving@1` (deployed over HTTP) has an instance waiting at `wait`. */
  async function waitingOnV1() {
    const ctx = await setup();
    expect((await ctx.call('POST', '/definitions', movingDefinition('1'))).status).toBe(201);
    const started = await ctx.call('POST', '/workflows/contract_moving/instances', { version: '1' });
    expect(started.status).toBe(201);
    const inst = await ctx.engine.waitFor(started.body.id);
    expect(inst).toMatchObject({ state: 'WAITING', definitionVersion: '1' });
    return { ...ctx, inst };
  }

  describe('POST /instances/:id/migrate', () => {
    it('migrates a waiting version-1 instance to version 2 deployed over HTTP: a dry run changes nothing, then it finishes on version 2\'s path', async () => {
      const { engine, call, inst } = await waitingOnV1();
      expect((await call('POST', '/definitions', movingDefinition('2'))).status).toBe(201);

      const plan = await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '2', dryRun: true });
      expect(plan.status).toBe(200);
      expect(plan.body).toMatchObject({ instanceId: inst.id, definitionName: 'contract_moving', fromVersion: '1', toVersion: '2', applied: false });
      expect(plan.body.steps).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'wait', to: 'wait', open: true })]));
      expect(await engine.getInstance(inst.id)).toMatchObject({ definitionVersion: '1', version: inst.version });

      const applied = await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '2' });
      expect(applied.status).toBe(200);
      expect(applied.body.applied).toBe(true);
      expect((await engine.getInstance(inst.id)).definitionVersion).toBe('2');
      expect((await eventBy(engine, inst.id, /^instance\.migrated$/))?.data).toMatchObject({ by: 'alice' });

      expect((await call('POST', `/instances/${inst.id}/signals/go`, {})).status).toBe(200);
      const done = await engine.waitFor(inst.id);
      expect(done.state).toBe('COMPLETED');
      expect(done.steps.finish_v2?.status).toBe('COMPLETED');
      expect(done.steps.finish_v1).toBeUndefined();
    });

    it('refuses bad input (400 naming the field), an unplaced step (400), an unknown version (404) and a finished instance (409), changing nothing', async () => {
      const { engine, call, inst } = await waitingOnV1();
      const bad = await call('POST', `/instances/${inst.id}/migrate`, { dryRun: 'yes' });
      expectError(bad, 400, 'WF_INPUT_INVALID');
      expect(bad.body.error.message).toMatch(/body\.toVersion/);
      expect(bad.body.error.message).toMatch(/body\.dryRun/);
      expectError(await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '2', stepMap: { wait: 5 } }), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '9' }), 404, 'WF_DEFINITION_NOT_FOUND');
      // Version 3 has no step `wait`: the instance waits there, so it needs a stepMap.
      const v3 = { ...movingDefinition('3'), steps: { prepare: { action: 'ok' }, hold: { action: 'wait_go' }, finish_v3: { action: 'ok' } }, transitions: [{ from: 'prepare', to: 'hold' }, { from: 'hold', to: 'finish_v3' }] };
      expect((await call('POST', '/definitions', v3)).status).toBe(201);
      expectError(await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '3' }), 400, 'WF_INPUT_INVALID');
      expect(await engine.getInstance(inst.id)).toMatchObject({ definitionVersion: '1', version: inst.version });
      const moved = await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '3', stepMap: { wait: 'hold' } });
      expect([moved.status, moved.body.applied]).toEqual([200, true]);

      expect((await call('POST', `/instances/${inst.id}/cancel`, {})).status).toBe(200);
      const cancelled = await engine.getInstance(inst.id);
      expectError(await call('POST', `/instances/${inst.id}/migrate`, { toVersion: '1' }), 409, 'WF_ILLEGAL_TRANSITION');
      expect((await engine.getInstance(inst.id)).version).toBe(cancelled.version);
      expectError(await call('POST', '/instances/missing/migrate', { toVersion: '2' }), 404, 'WF_NOT_FOUND');
    });
  });

  describe('POST /definitions/:name/versions/:version/migrate', () => {
    it('migrates every unfinished instance of a version, a page at a time, after a dry run', async () => {
      const { engine, call, inst } = await waitingOnV1();
      const second = await engine.waitFor((await call('POST', '/workflows/contract_moving/instances', { version: '1' })).body.id);
      expect((await call('POST', '/definitions', movingDefinition('2'))).status).toBe(201);

      const dry = await call('POST', '/definitions/contract_moving/versions/1/migrate', { toVersion: '2', dryRun: true });
      expect(dry.status).toBe(200);
      expect(dry.body.migrated.map((p: { instanceId: string }) => p.instanceId).sort()).toEqual([inst.id, second.id].sort());
      expect(dry.body.migrated.every((p: { applied: boolean }) => !p.applied)).toBe(true);
      expect((await engine.getInstance(inst.id)).definitionVersion).toBe('1');

      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call('POST', '/definitions/contract_moving/versions/1/migrate', { toVersion: '2', limit: 1, ...(cursor ? { cursor } : {}) });
        expect(page.status).toBe(200);
        expect(page.body.refused).toEqual([]);
        ids.push(...page.body.migrated.map((p: { instanceId: string }) => p.instanceId));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(ids.sort()).toEqual([inst.id, second.id].sort());
      for (const id of ids) expect((await engine.getInstance(id)).definitionVersion).toBe('2');
      expectError(await call('POST', '/definitions/contract_moving/versions/1/migrate', { toVersion: '2', limit: 0 }), 400, 'WF_INPUT_INVALID');
    });
  });

  describe('operator controls', () => {
    it('retries from a completed step (POST /instances/:id/steps/:stepId/retry), recording who', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal');
      const res = await call('POST', `/instances/${inst.id}/steps/prepare/retry`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(inst.id);
      expect(await eventBy(engine, inst.id, /^instance\.retried_from$/)).toBeDefined();
      const again = await engine.waitFor(inst.id);
      expect(again.state).toBe('WAITING');
      expect(again.steps.wait?.status).toBe('WAITING');
    });

    it('skips a stuck step with data and routes on (POST /instances/:id/steps/:stepId/skip)', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal');
      const res = await call('POST', `/instances/${inst.id}/steps/wait/skip`, { data: { skipped: 'by hand' } });
      expect(res.status).toBe(200);
      const done = await engine.waitFor(inst.id);
      expect(done).toMatchObject({ state: 'COMPLETED', data: { skipped: 'by hand' } });
      expect(await eventBy(engine, inst.id, /^step\.skipped_by_operator$/)).toBeDefined();
    });

    it("patches an instance's data (PATCH /instances/:id/data), recording who", async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal', { keep: 1, drop: 2 });
      const res = await call('PATCH', `/instances/${inst.id}/data`, { patch: { added: true, drop: null } });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ keep: 1, added: true });
      expect((await engine.getInstance(inst.id)).data).toEqual({ keep: 1, added: true });
      expect(await eventBy(engine, inst.id, /^instance\.data_updated$/)).toBeDefined();
    });

    it('refuses bad bodies and unknown steps (400), unknown instances (404) and finished instances (409), changing nothing', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal');
      const missingPatch = await call('PATCH', `/instances/${inst.id}/data`, {});
      expectError(missingPatch, 400, 'WF_INPUT_INVALID');
      expect(missingPatch.body.error.message).toMatch(/body\.patch/);
      expectError(await call('PATCH', `/instances/${inst.id}/data`, { patch: [1] }), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/steps/wait/skip`, { data: 'x' }), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/steps/wait/retry`, { force: true }), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/steps/nope/skip`, {}), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/steps/nope/retry`), 400, 'WF_INPUT_INVALID');
      expect((await engine.getInstance(inst.id)).version).toBe(inst.version);

      expectError(await call('PATCH', '/instances/missing/data', { patch: { a: 1 } }), 404, 'WF_NOT_FOUND');
      expectError(await call('POST', '/instances/missing/steps/wait/skip', {}), 404, 'WF_NOT_FOUND');
      expectError(await call('POST', '/instances/missing/steps/wait/retry'), 404, 'WF_NOT_FOUND');

      const cancelled = await call('POST', `/instances/${inst.id}/cancel`, {});
      expect(cancelled.body.state).toBe('CANCELLED');
      const after = await engine.getInstance(inst.id);
      expectError(await call('POST', `/instances/${inst.id}/steps/wait/skip`, {}), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('PATCH', `/instances/${inst.id}/data`, { patch: { a: 1 } }), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', `/instances/${inst.id}/steps/prepare/retry`), 409, 'WF_ILLEGAL_TRANSITION');
      expect((await engine.getInstance(inst.id)).version).toBe(after.version);
    });
  });
}
