/**
 * The sample's dashboard (the plugin's `dashboard` option) in a real headless Chromium: a person
 * opens /dashboard, is asked to sign in, signs in with a demo token, and sees the builds.
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a warning without it, except on CI
 * (the dashboard package's `test/chromium.ts` launches it).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchChromium, openPage, signInWithToken } from '../../../packages/dashboard/test/chromium.js';
import { DASHBOARD_PATH, startServer, type RunningServer } from '../src/app.js';
import { call } from '../src/demo.js';

describeBrowser('Fastify pipeline sample: the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let buildId: string;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    const data = { build: { id: 'B-B', repo: 'acme/shop', branch: 'main', requested_by: 'dev' } };
    buildId = (await call(server.url, { user: 'dev' }, 'POST', '/workflows/cicd_pipeline/instances', { data })).id;
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks to sign in, then lists the builds for a demo token', async () => {
    await page.goto(`${server.url}${DASHBOARD_PATH}#/instances`);
    await page.locator('.refusal h2', { hasText: 'Sign in required' }).waitFor();
    await signInWithToken(page, 'demo-release');
    await page.locator(`tr[data-instance="${buildId}"]`).waitFor();
    await expect(page.locator('[data-action="sign-out"]').isVisible()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
