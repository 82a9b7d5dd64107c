/** The HTTP contract's human task routes. */
import { describe, expect, it } from '@jest/globals';
import type { ContractHarness } from './http-contract-harness.js';

/** Registers the cases of the HTTP contract's human task routes. */
export function taskCases(h: ContractHarness): void {
  const { setup, expectError, historyOf } = h;

  describe('human tasks', () => {
    it('lists, reads, claims and completes a task, recording who completed it', async () => {
      const { engine, call, started } = await setup();
      const inst = await started('contract_approval');
      expect(inst.state).toBe('WAITING');

      const list = await call('GET', '/tasks?assignedTo=manager');
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(1);
      const task = list.body.items[0];
      expect(task).toMatchObject({ instanceId: inst.id, stepId: 'approve', state: 'OPEN', assignedTo: 'manager', form: { fields: ['approved'] } });
      expect((await call('GET', '/tasks?assignedTo=legal')).body.items).toEqual([]);
      expect((await call('GET', `/tasks?instanceId=${inst.id}&definition=contract_approval&state=OPEN,CLAIMED`)).body.items).toHaveLength(1);
      expect((await call('GET', `/tasks/${task.id}`)).body).toMatchObject({ id: task.id, state: 'OPEN' });

      const claimed = await call('POST', `/tasks/${task.id}/claim`);
      expect([claimed.status, claimed.body.state, claimed.body.claimedBy]).toEqual([200, 'CLAIMED', 'alice']);
      expectError(await call('POST', `/tasks/${task.id}/complete`, { data: {} }, { 'x-user': 'bob' }), 409, 'WF_ILLEGAL_TRANSITION');

      const completed = await call('POST', `/tasks/${task.id}/complete`, { data: { approved: true } });
      expect(completed.status).toBe(200);
      expect(completed.body.id).toBe(inst.id);
      const done = await engine.waitFor(inst.id);
      expect(done).toMatchObject({ state: 'COMPLETED', data: { approved: true } });
      expect((await historyOf(engine, inst.id, 'task.completed'))?.data).toMatchObject({ by: 'alice' });
      expect((await call('GET', '/tasks?state=COMPLETED')).body.items).toHaveLength(1);
    });

    it('answers 409 for a closed task, 404 for an unknown one, 400 for bad input', async () => {
      const { call, started } = await setup();
      const inst = await started('contract_approval');
      const taskId = `${inst.id}.approve.1`;
      expect((await call('POST', `/instances/${inst.id}/cancel`)).status).toBe(200);
      expectError(await call('POST', `/tasks/${taskId}/complete`, { data: { approved: true } }), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', `/tasks/${taskId}/claim`), 409, 'WF_ILLEGAL_TRANSITION');
      expectError(await call('POST', '/tasks/nope.approve.1/complete', {}), 404, 'WF_NOT_FOUND');
      expectError(await call('POST', '/tasks/nope/claim'), 404, 'WF_NOT_FOUND');
      expectError(await call('GET', '/tasks/nope'), 404, 'WF_NOT_FOUND');
      expectError(await call('POST', `/tasks/${taskId}/complete`, { data: [1] }), 400, 'WF_INPUT_INVALID');
      expectError(await call('GET', '/tasks?state=DONE'), 400, 'WF_INPUT_INVALID');
    });
  });
}
