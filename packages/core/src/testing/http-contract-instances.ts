/** The HTTP contract's instance routes: list, read, signal, pause, resume, cancel, retry. */
import { describe, expect, it } from '@jest/globals';
import { replayHistory } from '../engine/replay/replay-history.js';
import type { ContractHarness } from './http-contract-harness.js';
import type { HttpContractResponse } from './http-contract-types.js';

/** Registers the cases of the HTTP contract's instance routes: list, read, signal, pause, resume, cancel, retry. */
export function instanceCases(h: ContractHarness): void {
  const { setup, expectError, historyOf } = h;

  describe('GET /instances', () => {
    it('lists with filters, a comma list of states, and cursor paging', async () => {
      const { call, started } = await setup();
      const a = await started('contract_quick');
      const b = await started('contract_quick');
      const w = await started('contract_signal');
      expect([a.state, b.state, w.state]).toEqual(['COMPLETED', 'COMPLETED', 'WAITING']);

      const all = await call('GET', '/instances');
      expect(all.status).toBe(200);
      expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual([a.id, b.id, w.id].sort());

      const ids = (res: HttpContractResponse): string[] => res.body.items.map((i: { id: string }) => i.id);
      const asc = ids(await call('GET', '/instances?definition=contract_quick&order=asc'));
      const desc = ids(await call('GET', '/instances?definition=contract_quick&order=desc'));
      expect([...asc].sort()).toEqual([a.id, b.id].sort());
      expect(desc).toEqual([...asc].reverse());

      const states = await call('GET', '/instances?state=WAITING,FAILED');
      expect(states.body.items.map((i: { id: string }) => i.id)).toEqual([w.id]);

      const page1 = await call('GET', '/instances?limit=2');
      expect(page1.body.items).toHaveLength(2);
      expect(typeof page1.body.nextCursor).toBe('string');
      const page2 = await call('GET', `/instances?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.nextCursor).toBeUndefined();

      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await call('GET', `/instances?createdAfter=${encodeURIComponent(future)}`)).body.items).toEqual([]);
      expect((await call('GET', `/instances?createdBefore=${Date.now() + 3_600_000}`)).body.items).toHaveLength(3);
    });

    it('answers 400 for bad filters', async () => {
      const { call } = await setup();
      expectError(await call('GET', '/instances?state=RUNNING,NAPPING'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?limit=0'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?limit=ten'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?order=up'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?createdAfter=yesterday'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?colour=red'), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/instances?cursor=%25%25%25'), 400, 'WF_INPUT_INVALID');
    });
  });

  describe('GET /instances/:id and /history', () => {
    it('reads an instance and its history', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_quick', { n: 1 });
      const one = await call('GET', `/instances/${inst.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ id: inst.id, state: 'COMPLETED', data: { n: 1 } });
      const history = await call('GET', `/instances/${inst.id}/history`);
      expect(history.status).toBe(200);
      expect(history.body.items[0]).toMatchObject({ seq: 1, type: 'workflow.started' });
      expect(history.body.items.at(-1).type).toBe('workflow.completed');
      // The body is what replayHistory takes to check the run against a definition version.
      expect(replayHistory(history.body, engine.getDefinition('contract_quick'), { actions: engine.actions })).toMatchObject({ valid: true, events: history.body.items.length });
    });

    it('answers 404 for an unknown instance', async () => {
      const { call } = await setup();
      expectError(await call('GET', '/instances/missing'), 404, 'WF_NOT_FOUND');
      expectError(await call('GET', '/instances/missing/history'), 404, 'WF_NOT_FOUND');
    });
  });

  describe('POST /instances/:id/signals/:signal', () => {
    it('delivers the payload to the waiting step, recording who sent it', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal');
      const res = await call('POST', `/instances/${inst.id}/signals/go`, { approved: true });
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(inst.id);
      const done = await engine.waitFor(inst.id);
      expect(done).toMatchObject({ state: 'COMPLETED', data: { approved: true } });
      expect((await historyOf(engine, inst.id, 'signal.received'))?.data).toMatchObject({ by: 'alice' });
    });

    it('answers 409 for a finished instance, 404 for an unknown one, 400 for a payload that is not an object', async () => {
      const { call, started } = await setup();
      const inst = await started('contract_quick');
      expectError(await call('POST', `/instances/${inst.id}/signals/go`, {}), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', '/instances/missing/signals/go', {}), 404, 'WF_NOT_FOUND');
      expectError(await call('POST', `/instances/${inst.id}/signals/go`, ['x']), 400, 'WF_INPUT_INVALID');
    });
  });

  describe('POST /instances/:id/pause|resume|cancel|retry', () => {
    it('pauses, resumes and cancels (with a reason, recording who)', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_signal');
      const paused = await call('POST', `/instances/${inst.id}/pause`);
      expect([paused.status, paused.body.state]).toEqual([200, 'PAUSED']);
      const resumed = await call('POST', `/instances/${inst.id}/resume`, {});
      expect([resumed.status, resumed.body.state]).toEqual([200, 'WAITING']);
      const cancelled = await call('POST', `/instances/${inst.id}/cancel`, { reason: 'customer asked' });
      expect([cancelled.status, cancelled.body.state]).toEqual([200, 'CANCELLED']);
      expect((await historyOf(engine, inst.id, 'workflow.cancelled'))?.data).toMatchObject({ reason: 'customer asked', by: 'alice' });
      expect((await historyOf(engine, inst.id, 'workflow.paused'))?.data).toMatchObject({ by: 'alice' });
    });

    it('retries a FAILED instance', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_failing');
      expect(inst.state).toBe('FAILED');
      const res = await call('POST', `/instances/${inst.id}/retry`);
      expect(res.status).toBe(200);
      expect((await historyOf(engine, inst.id, 'workflow.retried'))?.data).toMatchObject({ by: 'alice' });
    });

    it('answers 409 for an illegal move (resume a COMPLETED instance) and changes nothing', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_quick');
      expectError(await call('POST', `/instances/${inst.id}/resume`), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', `/instances/${inst.id}/cancel`, {}), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', `/instances/${inst.id}/retry`), 409, 'WF_ILLEGAL_TRANSITION');
      expect((await engine.getInstance(inst.id)).version).toBe(inst.version);
    });

    it('answers 404 for an unknown instance and 400 for a bad body', async () => {
      const { call, started } = await setup();
      for (const command of ['pause', 'resume', 'cancel', 'retry']) {
        expectError(await call('POST', `/instances/missing/${command}`), 404, 'WF_NOT_FOUND');
      }
      const inst = await started('contract_signal');
      expectError(await call('POST', `/instances/${inst.id}/cancel`, { reason: 42 }), 400, 'WF_INPUT_INVALID');
      expectError(await call('POST', `/instances/${inst.id}/pause`, { force: true }), 400, 'WF_INPUT_INVALID');
    });
  });
}
