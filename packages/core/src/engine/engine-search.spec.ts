/** Business keys and search attributes, as a caller of the engine sees them. */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { BusinessKeyTakenError } from '../errors.js';
import { setup } from '../../test/support/engine-setup.js';

const order: WorkflowDefinitionInput = {
  name: 'order',
  version: '1',
  search_attributes: { customer: 'customer.id', total: 'total', vip: 'customer.vip' },
  steps: { review: { action: 'wait' }, price: { action: 'price' } },
  transitions: [{ from: 'review', to: 'price' }],
};
const actions = {
  wait: () => ActionResult.wait({ signal: 'go' }),
  price: () => ActionResult.success({ total: 99, customer: { id: 'C-2', vip: true } }),
};

describe('business keys', () => {
  it('records the business key, lists by it, and refuses a second unfinished instance when asked', async () => {
    const { engine } = setup({ actions, definitions: [order] });
    const first = await engine.start('order', {}, { businessKey: 'A-1003', uniqueBusinessKey: true });
    expect(first.businessKey).toBe('A-1003');
    expect((await engine.getHistory(first.id))[0]?.data).toMatchObject({ businessKey: 'A-1003' });
    const error = await engine.start('order', {}, { businessKey: 'A-1003', uniqueBusinessKey: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BusinessKeyTakenError);
    expect(error).toMatchObject({ code: 'WF_BUSINESS_KEY_TAKEN', details: { definitionName: 'order', businessKey: 'A-1003', instanceId: first.id } });
    expect((error as Error).message).toContain(first.id);

    // Without asking for uniqueness the same key is allowed; after the first finishes, so is a unique one.
    const second = await engine.start('order', {}, { businessKey: 'A-1003' });
    await engine.cancel(first.id, 'customer called');
    const third = await engine.start('order', {}, { businessKey: 'A-1003', uniqueBusinessKey: true });
    const found = (await engine.listInstances({ businessKey: 'A-1003', order: 'asc' })).items.map((r) => r.id);
    expect(found.sort()).toEqual([first.id, second.id, third.id].sort());
    expect((await engine.listInstances({ businessKey: 'A-1003', state: 'CANCELLED' })).items.map((r) => r.id)).toEqual([first.id]);
    await engine.close();
  });

  it('refuses malformed business key options, naming them', async () => {
    const { engine } = setup({ actions, definitions: [order] });
    for (const businessKey of ['', 'x'.repeat(256), 'a\nb', 42 as unknown as string]) {
      await expect(engine.start('order', {}, { businessKey })).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', details: { option: 'businessKey' } });
    }
    await expect(engine.start('order', {}, { uniqueBusinessKey: true })).rejects.toMatchObject({ code: 'WF_INPUT_INVALID', details: { option: 'uniqueBusinessKey' } });
    expect((await engine.listInstances()).items).toEqual([]);
    await engine.close();
  });
});

describe('search attributes', () => {
  it('reads the declared attributes from the data at each commit, as text, and lists by them', async () => {
    const { engine } = setup({ actions, definitions: [order] });
    const a = await engine.start('order', { customer: { id: 'C-1', vip: false }, total: 120, note: 'x' });
    const b = await engine.start('order', { customer: { id: 'C-1' }, total: { nested: true } });
    expect((await engine.getInstance(a.id)).attributes).toEqual({ customer: 'C-1', total: '120', vip: 'false' });
    expect((await engine.getInstance(b.id)).attributes).toEqual({ customer: 'C-1' });
    const byCustomer = async (customer: string) => (await engine.listInstances({ attributes: { customer } })).items.map((r) => r.id).sort();
    expect(await byCustomer('C-1')).toEqual([a.id, b.id].sort());
    expect((await engine.listInstances({ attributes: { customer: 'C-1', total: '120' } })).items.map((r) => r.id)).toEqual([a.id]);

    // The price step's result changes the customer: the attributes follow.
    await engine.waitFor(a.id);
    await engine.signal(a.id, 'go');
    await engine.waitFor(a.id, { until: 'terminal' });
    expect((await engine.getInstance(a.id)).attributes).toEqual({ customer: 'C-2', total: '99', vip: 'true' });
    expect(await byCustomer('C-1')).toEqual([b.id]);
    expect(await byCustomer('C-2')).toEqual([a.id]);
    await engine.close();
  });

  it('validates declarations with the definition, naming each bad one', () => {
    const { engine } = setup({ actions });
    const attempt = (search_attributes: unknown) => () => engine.registerDefinition({ ...order, name: 'bad', search_attributes: search_attributes as Record<string, string> });
    const issuesOf = (fn: () => unknown): string[] => {
      try {
        fn();
        return [];
      } catch (error) {
        return ((error as { details: { issues: Array<{ path: string }> } }).details.issues ?? []).map((i) => i.path);
      }
    };
    expect(issuesOf(attempt(['customer']))).toEqual(['search_attributes']);
    expect(issuesOf(attempt({ '1x': 'a', ok: 'a..b', p: '__proto__.x', q: 7 }))).toEqual([
      'search_attributes.1x',
      'search_attributes.ok',
      'search_attributes.p',
      'search_attributes.q',
    ]);
    expect(issuesOf(attempt(Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`a${i}`, 'x']))))).toEqual(['search_attributes']);
    expect(issuesOf(attempt({ customer: 'customer.id' }))).toEqual([]);
  });
});
