/**
 * The instances list's search in a real headless Chromium: instances started with business keys and
 * search attributes; typing a key, then an attribute filter (`name=value`, several separated by
 * spaces or commas), shows only the matching rows (`GET /instances?businessKey=&attr.<name>=`); the
 * instance page shows the key and the attributes.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ActionResult, MemoryStorage, silentLogger, WorkflowEngine, type InstanceRecord } from '@workflow-mastery/core';
import { closeAll, describeBrowser, launchChromium, openPage, screenshotDir, signInWithToken } from './chromium.js';
import { bearerPrincipal, serveWithDashboard, type DashboardServer } from './dashboard-server.js';

// The test's tsconfig has no DOM library: what the page functions below use, as Chromium runs them.
interface RowElement { getAttribute(name: string): string | null }
declare const document: { querySelectorAll(selector: string): Iterable<RowElement>; querySelector(selector: string): RowElement | null };

const TEST_TIMEOUT = 60_000;
const TOKEN = 'clerk-secret';

describeBrowser('dashboard search by business key and search attributes (Chromium)', () => {
  let server: DashboardServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  const orders: Record<string, InstanceRecord> = {};

  /** The instance ids of the table's rows, sorted. */
  const rows = async () => (await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as unknown as RowElement).getAttribute('data-instance') ?? ''))).sort();
  const ids = (...keys: string[]) => keys.map((k) => orders[k]!.id).sort();
  /** Submit the filters and wait until the list shows exactly `expected`. */
  const search = async (fields: { key?: string; attrs?: string }, expected: string[]) => {
    await page.fill('input[name="businessKey"]', fields.key ?? '');
    await page.fill('input[name="attributes"]', fields.attrs ?? '');
    await page.press('input[name="attributes"]', 'Enter');
    // The search is in the URL (so it can be shared), then the list shows its rows.
    await page.waitForURL((url) => {
      const q = new URLSearchParams(url.hash.split('?')[1] ?? '');
      return (q.get('key') ?? '') === (fields.key ?? '') && (q.get('attrs') ?? '') === (fields.attrs ?? '');
    });
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-instance') ?? '').sort().join() === want || (want === '' && document.querySelector('.results .empty') !== null),
      expected.join(),
    );
    await expect(rows()).resolves.toEqual(expected);
  };

  beforeAll(async () => {
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: silentLogger });
    engine.registerAction('wait_for_payment', () => ActionResult.wait({ signal: 'paid' }));
    engine.registerDefinition({
      name: 'order',
      version: '1',
      search_attributes: { customer: 'customer.id', region: 'customer.region' },
      steps: { await_payment: { action: 'wait_for_payment' } },
    });
    await engine.ready;
    const start = async (key: string, customer: string, region: string) => {
      orders[key] = await engine.start('order', { customer: { id: customer, region } }, { businessKey: key });
    };
    await start('ORD-1001', 'C-1', 'eu');
    await start('ORD-1002', 'C-2', 'eu');
    await start('ORD-1003', 'C-1', 'us');
    server = await serveWithDashboard(engine, { principal: bearerPrincipal({ [TOKEN]: { id: 'cleo', roles: ['clerk'] } }), authorize: () => true, title: 'Orders' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
    await page.goto(`${server.url}/dashboard/#/instances`);
    await signInWithToken(page, TOKEN);
    await page.locator('.auth-state').waitFor();
  }, 90_000);

  afterAll(() => closeAll(context, browser, server), TEST_TIMEOUT);

  it('lists every instance with its business key', async () => {
    await page.locator(`tr[data-instance="${orders['ORD-1001']!.id}"]`).waitFor();
    await expect(rows()).resolves.toEqual(ids('ORD-1001', 'ORD-1002', 'ORD-1003'));
    await expect(page.locator(`tr[data-instance="${orders['ORD-1002']!.id}"] td.business-key`).textContent()).resolves.toBe('ORD-1002');
  }, TEST_TIMEOUT);

  it('a business key typed in the search box shows only its instance, and the URL keeps the search', async () => {
    await search({ key: 'ORD-1002' }, ids('ORD-1002'));
    expect(decodeURIComponent(new URL(page.url()).hash)).toBe('#/instances?key=ORD-1002');
    await expect(page.locator('.count[data-count="ALL"] .count-n').textContent()).resolves.toBe('1');
    await search({ key: 'ORD-9999' }, []);
    await page.locator('.empty', { hasText: 'No instances match' }).waitFor();
  }, TEST_TIMEOUT);

  it('an attribute filter shows only the matching rows; several pairs must all match', async () => {
    await search({ attrs: 'customer=C-1' }, ids('ORD-1001', 'ORD-1003'));
    await page.screenshot({ path: path.join(screenshotDir(), 'instances-search.png'), fullPage: true });
    await search({ attrs: 'customer=C-1, region=us' }, ids('ORD-1003'));
    await search({ attrs: 'region=eu' }, ids('ORD-1001', 'ORD-1002'));
    await search({ key: 'ORD-1001', attrs: 'region=us' }, []);
  }, TEST_TIMEOUT);

  it('a pair without "=" is refused in the form, naming it, and the list stays as it was', async () => {
    await search({ attrs: 'region=eu' }, ids('ORD-1001', 'ORD-1002'));
    const before = page.url();
    await page.fill('input[name="attributes"]', 'region=eu customer');
    await page.press('input[name="attributes"]', 'Enter');
    await expect(page.locator('.filters .form-error').textContent()).resolves.toBe('Attributes: "customer" is not name=value (e.g. customer=C-42); separate several with spaces or commas.');
    expect(page.url()).toBe(before);
    await expect(rows()).resolves.toEqual(ids('ORD-1001', 'ORD-1002'));
  }, TEST_TIMEOUT);

  it('the instance page shows the business key and the search attributes', async () => {
    const order = orders['ORD-1003']!;
    await search({ key: 'ORD-1003' }, ids('ORD-1003'));
    await page.click(`tr[data-instance="${order.id}"] a`);
    await page.locator('.page-header h1', { hasText: order.id }).waitFor();
    const fact = (name: string) => page.locator('dl.facts dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
    await expect(fact('Business key').textContent()).resolves.toBe('ORD-1003');
    await expect(page.locator('.attribute[data-attribute="customer"]').textContent()).resolves.toBe('customer = C-1');
    await expect(page.locator('.attribute[data-attribute="region"]').textContent()).resolves.toBe('region = us');
    expect(pageErrors).toEqual([]);
  }, TEST_TIMEOUT);
});
