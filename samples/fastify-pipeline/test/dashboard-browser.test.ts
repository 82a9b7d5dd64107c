/**
 * The sample's dashboard (the plugin's `dashboard` option) in a real headless Chromium: a person
 * opens /dashboard, is asked to sign in, signs in with a demo token, and sees the builds.
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a warning without it, except on CI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DASHBOARD_PATH, startServer, type RunningServer } from '../src/app.js';
import { call } from '../src/demo.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM_PATH) || process.env.CI === 'true';
if (!available) console.warn(`Skipping the sample's dashboard browser test: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium).`);
const describeBrowser = available ? describe : describe.skip;

describeBrowser('Fastify pipeline sample: the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let buildId: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    const data = { build: { id: 'B-B', repo: 'acme/shop', branch: 'main', requested_by: 'dev' } };
    buildId = (await call(server.url, { user: 'dev' }, 'POST', '/workflows/cicd_pipeline/instances', { data })).id;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], timeout: 60_000 });
    page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks to sign in, then lists the builds for a demo token', async () => {
    await page.goto(`${server.url}${DASHBOARD_PATH}#/instances`);
    await page.locator('.refusal h2', { hasText: 'Sign in required' }).waitFor();
    await page.click('[data-action="sign-in"]');
    await page.fill('input[name="token"]', 'demo-release');
    await page.click('.auth-form button[type="submit"]');
    await page.locator(`tr[data-instance="${buildId}"]`).waitFor();
    await expect(page.locator('[data-action="sign-out"]').isVisible()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
