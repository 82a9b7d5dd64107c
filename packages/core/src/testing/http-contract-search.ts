/**
 * The HTTP contract's business keys, search attributes and purge: starting with a business key,
 * listing by it and by `attr.<name>`, 409 for a taken unique key, 400 for bad parameters, and
 * `POST /maintenance/purge`.
 */
import { describe, expect, it } from '@jest/globals';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { ContractHarness } from './http-contract-harness.js';
import { expectApiError } from './http-contract-hostile.js';
import type { HttpContractResponse } from './http-contract-types.js';

const START = '/workflows/contract_quick/instances';

/** Waits for signal `go`; indexes `customer.id` as `customer` and `total` as `total`. */
const searchable: WorkflowDefinitionInput = {
  name: 'contract_search',
  search_attributes: { customer: 'customer.id', total: 'total' },
  steps: { wait: { action: 'wait_go' } },
};

/** The ids of a page of instances, sorted. */
const idsOf = (res: HttpContractResponse): string[] => {
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ id: string }>).map((i) => i.id).sort();
};

/** The paths of a 400's `details.issues`. */
const issuePaths = (res: HttpContractResponse): string[] => ((res.body?.error?.details?.issues ?? []) as Array<{ path: string }>).map((i) => i.path);

/** Registers the cases. */
export function searchCases(h: ContractHarness): void {
  const { setup } = h;

  describe('business keys', () => {
    it('starts with a businessKey (201), answers it on the instance, and lists by it (URL-encoded)', async () => {
      const { engine, call } = await setup();
      const key = 'A-1003 / ü&=?';
      const first = await call('POST', START, { businessKey: key });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ businessKey: key });
      const second = await call('POST', START, { businessKey: key, uniqueBusinessKey: false });
      const other = await call('POST', START, { businessKey: 'B-1' });
      expect([second.status, other.status]).toEqual([201, 201]);
      expect((await call('GET', `/instances/${first.body.id}`)).body).toMatchObject({ businessKey: key });
      expect(idsOf(await call('GET', `/instances?businessKey=${encodeURIComponent(key)}`))).toEqual([first.body.id, second.body.id].sort());
      expect(idsOf(await call('GET', '/instances?businessKey=B-1&definition=contract_quick'))).toEqual([other.body.id]);
      expect(idsOf(await call('GET', '/instances?businessKey=nobody'))).toEqual([]);
      expect((await engine.listInstances()).items).toHaveLength(3);
    });

    it('answers 409 WF_BUSINESS_KEY_TAKEN naming the holder while an unfinished instance has the unique key, and starts once it is cancelled', async () => {
      const { engine, call } = await setup();
      const path = '/workflows/contract_signal/instances';
      const holder = await call('POST', path, { businessKey: 'order-7', uniqueBusinessKey: true });
      expect(holder.status).toBe(201);
      expect(holder.body).toMatchObject({ businessKey: 'order-7', uniqueBusinessKey: true });
      await engine.waitFor(holder.body.id);
      const taken = await call('POST', path, { businessKey: 'order-7', uniqueBusinessKey: true, data: { amount: 1 } });
      expectApiError(taken, 409, 'WF_BUSINESS_KEY_TAKEN', /order-7/);
      expect(taken.body.error.details).toEqual({ definitionName: 'contract_signal', businessKey: 'order-7', instanceId: holder.body.id });
      expect((await engine.listInstances()).items).toHaveLength(1);
      // Another definition, or the same key without uniqueness, is not refused.
      expect((await call('POST', START, { businessKey: 'order-7', uniqueBusinessKey: true })).status).toBe(201);
      expect((await call('POST', path, { businessKey: 'order-7' })).status).toBe(201);
      expect((await call('POST', `/instances/${holder.body.id}/cancel`, { reason: 'done with it' })).status).toBe(200);
      expect((await call('POST', path, { businessKey: 'order-7', uniqueBusinessKey: true })).status).toBe(201);
    });

    it('answers 400 WF_INPUT_INVALID naming the field for a bad businessKey or uniqueBusinessKey, starting nothing', async () => {
      const { engine, call } = await setup();
      for (const [body, path] of [
        [{ businessKey: '' }, 'body.businessKey'],
        [{ businessKey: 'x'.repeat(256) }, 'body.businessKey'],
        [{ businessKey: 'a\nb' }, 'body.businessKey'],
        [{ businessKey: 42 }, 'body.businessKey'],
        [{ businessKey: ['a'] }, 'body.businessKey'],
        [{ businessKey: 'k', uniqueBusinessKey: 'yes' }, 'body.uniqueBusinessKey'],
      ] as const) {
        const res = await call('POST', START, body);
        expectApiError(res, 400, 'WF_INPUT_INVALID');
        expect(issuePaths(res)).toEqual([path]);
      }
      // uniqueBusinessKey without a key: the engine's refusal, naming the option.
      const alone = await call('POST', START, { uniqueBusinessKey: true });
      expectApiError(alone, 400, 'WF_INPUT_INVALID', /uniqueBusinessKey/);
      expect(alone.body.error.details).toMatchObject({ option: 'uniqueBusinessKey' });
      expect((await call('POST', START, { businessKey: 'x'.repeat(255) })).status).toBe(201);
      expect((await engine.listInstances()).items).toHaveLength(1);
    });
  });

  describe('search attributes', () => {
    async function withOrders(): Promise<{ engine: WorkflowEngine; call: Awaited<ReturnType<ContractHarness['setup']>>['call']; ids: string[] }> {
      const ctx = await setup();
      ctx.engine.registerDefinition(searchable);
      const ids: string[] = [];
      for (const data of [{ customer: { id: 'C-1' }, total: 120 }, { customer: { id: 'C-1' }, total: 80 }, { customer: { id: 'C 2/é' }, total: 120 }]) {
        const res = await ctx.call('POST', '/workflows/contract_search/instances', { data });
        expect(res.status).toBe(201);
        ids.push((await ctx.engine.waitFor(res.body.id as string)).id);
      }
      return { engine: ctx.engine, call: ctx.call, ids };
    }

    it('answers the attributes on the instance, as text', async () => {
      const { call, ids } = await withOrders();
      expect((await call('GET', `/instances/${ids[0]}`)).body.attributes).toEqual({ customer: 'C-1', total: '120' });
      const listed = (await call('GET', '/instances?definition=contract_search')).body.items as Array<{ id: string; attributes: unknown }>;
      expect(Object.fromEntries(listed.map((i) => [i.id, i.attributes]))).toEqual({
        [ids[0]!]: { customer: 'C-1', total: '120' },
        [ids[1]!]: { customer: 'C-1', total: '80' },
        [ids[2]!]: { customer: 'C 2/é', total: '120' },
      });
    });

    it('lists by attr.<name>=<value>, every given attribute matching, with the other filters', async () => {
      const { call, ids } = await withOrders();
      const [a, b, c] = ids as [string, string, string];
      expect(idsOf(await call('GET', '/instances?attr.customer=C-1'))).toEqual([a, b].sort());
      expect(idsOf(await call('GET', '/instances?attr.customer=C-1&attr.total=120'))).toEqual([a]);
      expect(idsOf(await call('GET', `/instances?attr.customer=${encodeURIComponent('C 2/é')}`))).toEqual([c]);
      expect(idsOf(await call('GET', '/instances?attr.total=120&state=WAITING&definition=contract_search'))).toEqual([a, c].sort());
      expect(idsOf(await call('GET', '/instances?attr.total=120&state=COMPLETED'))).toEqual([]);
      expect(idsOf(await call('GET', '/instances?attr.customer=C-9'))).toEqual([]);
      expect(idsOf(await call('GET', '/instances?attr.nothing=x'))).toEqual([]);
      // Paged: the filter holds on every page.
      const page1 = await call('GET', '/instances?attr.total=120&limit=1');
      expect(page1.body.items).toHaveLength(1);
      const page2 = await call('GET', `/instances?attr.total=120&limit=1&cursor=${encodeURIComponent(page1.body.nextCursor as string)}`);
      expect([...idsOf(page1), ...idsOf(page2)].sort()).toEqual([a, c].sort());
    });

    it('answers 400 WF_INPUT_INVALID naming the parameter for bad businessKey and attr.* values, never 5xx', async () => {
      const { call } = await withOrders();
      const nine = Array.from({ length: 9 }, (_, i) => `attr.a${i}=x`).join('&');
      for (const [query, path] of [
        ['businessKey=', 'querystring.businessKey'],
        [`businessKey=${'k'.repeat(256)}`, 'querystring.businessKey'],
        ['businessKey=a&businessKey=b', 'querystring.businessKey'],
        ['attr.1bad=x', 'querystring.attr.1bad'],
        ['attr.=x', 'querystring.attr.'],
        [`attr.${'n'.repeat(64)}=x`, `querystring.attr.${'n'.repeat(64)}`],
        ['attr.a-b=x', 'querystring.attr.a-b'],
        ['attr.__proto__=x', 'querystring.attr.__proto__'],
        [`attr.customer=${'v'.repeat(256)}`, 'querystring.attr.customer'],
        ['attr.customer=a&attr.customer=b', 'querystring.attr.customer'],
        ['attr[customer]=x', 'querystring'],
        [nine, 'querystring.attr'],
      ] as const) {
        const res = await call('GET', `/instances?${query}`);
        expectApiError(res, 400, 'WF_INPUT_INVALID');
        expect({ query: query.slice(0, 40), paths: issuePaths(res) }).toEqual({ query: query.slice(0, 40), paths: [path] });
      }
      const ok = Array.from({ length: 8 }, (_, i) => `attr.a${i}=x`).join('&');
      expect((await call('GET', `/instances?${ok}&attr.customer=${'v'.repeat(255)}`)).status).toBe(400);
      expect(idsOf(await call('GET', `/instances?${ok}`))).toEqual([]);
      expect(idsOf(await call('GET', `/instances?attr.customer=&businessKey=${'k'.repeat(255)}`))).toEqual([]);
    });
  });

  describe('POST /maintenance/purge', () => {
    /** Two finished contract_quick instances past a retention of 0 and one waiting contract_signal. */
    async function withFinished() {
      const ctx = await setup({ engine: { retention: 0, purge: false } });
      const done = [await ctx.started('contract_quick'), await ctx.started('contract_quick')];
      for (const inst of done) expect((await ctx.engine.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
      const waiting = await ctx.started('contract_signal');
      return { ...ctx, done: done.map((i) => i.id), waiting: waiting.id };
    }

    it('counts with dryRun, deleting nothing; then purges at most limit, then the rest', async () => {
      const { call, done, waiting } = await withFinished();
      const dry = await call('POST', '/maintenance/purge', { dryRun: true });
      expect([dry.status, dry.body]).toEqual([200, { candidates: 2, purged: 0, archived: 0, byDefinition: { contract_quick: 2 }, more: false }]);
      for (const id of done) expect((await call('GET', `/instances/${id}`)).status).toBe(200);

      const first = await call('POST', '/maintenance/purge', { limit: 1 });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ purged: 1, archived: 0, byDefinition: { contract_quick: 1 } });
      const rest = await call('POST', '/maintenance/purge');
      expect(rest.body).toMatchObject({ purged: 1, byDefinition: { contract_quick: 1 }, more: false });
      for (const id of done) expectApiError(await call('GET', `/instances/${id}`), 404, 'WF_NOT_FOUND');
      expect((await call('GET', `/instances/${waiting}`)).body.state).toBe('WAITING');
      expect((await call('POST', '/maintenance/purge', {})).body).toEqual({ candidates: 0, purged: 0, archived: 0, byDefinition: {}, more: false });
    });

    it('asks authorize for maintenance.purge (no resource); a refusal deletes nothing', async () => {
      const asked: Array<[string, object]> = [];
      const { engine, call, started } = await setup({
        engine: { retention: 0, purge: false },
        authorize: (_p, operation, resource) => (asked.push([operation, resource]), operation !== 'maintenance.purge'),
      });
      const inst = await started('contract_quick');
      await engine.waitFor(inst.id, { until: 'terminal' });
      expectApiError(await call('POST', '/maintenance/purge', {}), 403, 'WF_FORBIDDEN');
      expect(asked.at(-1)).toEqual(['maintenance.purge', {}]);
      expect((await engine.getInstance(inst.id)).state).toBe('COMPLETED');
      expectApiError(await call('POST', '/maintenance/purge', {}, {}), 401, 'WF_UNAUTHENTICATED');
    });

    it('answers 400 WF_INPUT_INVALID for a bad body, naming the field, deleting nothing', async () => {
      const { call, done } = await withFinished();
      for (const [body, path] of [
        [{ limit: 0 }, 'body.limit'],
        [{ limit: 1.5 }, 'body.limit'],
        [{ limit: '5' }, 'body.limit'],
        [{ limit: 1e300 }, 'body.limit'],
        [{ dryRun: 'yes' }, 'body.dryRun'],
        [{ olderThan: '1d' }, 'body'],
        [[1], 'body'],
      ] as const) {
        const res = await call('POST', '/maintenance/purge', body);
        expectApiError(res, 400, 'WF_INPUT_INVALID');
        expect(issuePaths(res)).toEqual([path]);
      }
      for (const id of done) expect((await call('GET', `/instances/${id}`)).status).toBe(200);
    });

    it('answers 400 WF_INPUT_INVALID when the storage cannot purge', async () => {
      const storage = new MemoryStorage();
      // A storage without the optional purge methods (as some adapters are).
      Object.defineProperty(storage, 'findPurgeable', { value: undefined });
      Object.defineProperty(storage, 'purgeInstances', { value: undefined });
      const { call } = await setup({ engine: { storage, retention: 0, purge: false } });
      expectApiError(await call('POST', '/maintenance/purge', { dryRun: true }), 400, 'WF_INPUT_INVALID', /cannot purge/);
    });
  });
}
