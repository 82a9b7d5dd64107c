/**
 * The sample's dashboard in a real headless Chromium: a person opens /dashboard, is asked to sign
 * in, pastes a demo token, and sees the instances and their tasks that the API gives that role.
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides); skipped with a warning without it, except on CI
 * (the dashboard package's `test/chromium.ts` launches it).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { describeBrowser, launchChromium, openPage, signInWithToken } from '../../../packages/dashboard/test/chromium.js';
import { DASHBOARD_PATH, startServer, type RunningServer } from '../src/app.js';

describeBrowser('Express approvals sample: the dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let documentId: string;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    const inst = await server.engine.start('document_approval', { document: { id: 'D-B', title: 'Browser check', type: 'contract', value: 250_000, author: 'adam' } }, { startedBy: 'adam' });
    documentId = inst.id;
    browser = await launchChromium();
    ({ page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks to sign in, then shows what a demo token may see', async () => {
    await page.goto(`${server.url}${DASHBOARD_PATH}#/instances`);
    await page.locator('.refusal h2', { hasText: 'Sign in required' }).waitFor();

    await signInWithToken(page, 'demo-manager');
    await page.locator(`tr[data-instance="${documentId}"]`).waitFor();
    await expect(page.locator(`tr[data-instance="${documentId}"] .badge`).textContent()).resolves.toBe('WAITING');

    // The manager's inbox has the document's first review.
    await page.goto(`${server.url}${DASHBOARD_PATH}#/tasks?role=manager_role`);
    await page.locator(`tr[data-task="${documentId}.initial_review.1"]`).waitFor();

    // A made-up token is refused by the API, and the page says so instead of showing data.
    await page.click('[data-action="sign-out"]');
    await signInWithToken(page, 'not-a-demo-token');
    await page.locator('.refusal h2', { hasText: 'Sign in required' }).waitFor();
    await expect(page.locator(`tr[data-instance="${documentId}"]`).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
