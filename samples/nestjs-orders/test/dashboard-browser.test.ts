/**
 * The sample's dashboard (served through Nest's HttpAdapter) in a real headless Chromium: a person
 * opens /dashboard, is asked to sign in, signs in with a demo token, and sees the orders.
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a warning without it, except on CI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MemoryStorage, scaledClock } from '@workflow-mastery/core';
import { DASHBOARD_PATH } from '../src/app.module.js';
import { call, demoOrders } from '../src/demo.js';
import { startServer, type RunningServer } from '../src/server.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM_PATH) || process.env.CI === 'true';
if (!available) console.warn(`Skipping the sample's dashboard browser test: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium).`);
const describeBrowser = available ? describe : describe.skip;

describeBrowser('NestJS orders sample: the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let orderId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: false });
    const order = demoOrders.find((o) => o.order.id === 'N-1003')!.order;
    orderId = (await call(server.url, 'bob', 'POST', '/workflows/order_processing/instances', { data: { order } })).id;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 60_000 });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const signIn = async (token: string) => {
    const out = page.locator('[data-action="sign-out"]');
    if (await out.isVisible()) await out.click();
    await page.click('[data-action="sign-in"]');
    await page.fill('input[name="token"]', token);
    await page.click('.auth-form button[type="submit"]');
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
