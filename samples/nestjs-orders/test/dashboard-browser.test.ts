/**
 * The sample's dashboard (served through Nest's HttpAdapter) in a real headless Chromium: a person
 * opens /dashboard, is asked to sign in, signs in with a demo token, and sees the orders.
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a warning without it, except on CI
 * (the dashboard package's `test/chromium.ts` launches it).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchChromium, openPage, signInWithToken } from '../../../packages/dashboard/test/chromium.js';
import { MemoryStorage, scaledClock } from '@workflow-mastery/core';
import { DASHBOARD_PATH } from '../src/app.module.js';
import { call, demoOrders } from '../src/demo.js';
import { startServer, type RunningServer } from '../src/server.js';

describeBrowser('NestJS orders sample: the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let orderId: string;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: false });
    const order = demoOrders.find((o) => o.order.id === 'N-1003')!.order;
    orderId = (await call(server.url, 'bob', 'POST', '/workflows/order_processing/instances', { data: { order } })).id;
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = async (token: string) => {
    await signInWithToken(page, token);
  };

  it('asks to sign in, then lists the orders for a demo token', async () => {
    await page.goto(`${server.url}${DASHBOARD_PATH}#/instances`);
    await page.locator('.refusal h2', { hasText: 'Sign in required' }).waitFor();
    await signIn('demo-customer');
    await page.locator(`tr[data-instance="${orderId}"]`).waitFor();
    await expect(page.locator(`tr[data-instance="${orderId}"] a`).first().textContent()).resolves.toContain(orderId.slice(0, 8));
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
