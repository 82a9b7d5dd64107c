/**
 * The dashboard as a person sees it, in a real headless Chromium: computed colours of the graph's
 * boxes, which of the sign-in controls are visible, commands a reader may not use disabled, edge
 * labels clear of their lines, and the layout at 1400 and 420 px wide (screenshots in
 * `packages/dashboard/test-output/look-*.png`).
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { InstanceRecord } from '@workflow-mastery/core';
import { startApprovalServer, TOKENS, type ApprovalServer } from './approval-server.js';
import { closeAll, describeBrowser, launchChromium, openPage, screenshotDir, signInWithToken } from './chromium.js';

// The functions handed to page.evaluate run in the page; the test project has no DOM lib, so they see these loosely.
declare const document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): Iterable<any> & { length: number } };
declare function getComputedStyle(el: unknown): { display: string; visibility: string; fill: string; stroke: string; overflowX: string; backgroundColor: string };

const TEST_TIMEOUT = 60_000;

/** What a person sees of an element: shown at all, and where. */
async function seen(locator: Locator): Promise<{ visible: boolean; display: string; box: { x: number; y: number; width: number; height: number } | null }> {
  const display = await locator.evaluate((el) => getComputedStyle(el).display);
  const visibility = await locator.evaluate((el) => getComputedStyle(el).visibility);
  const box = await locator.boundingBox();
  return { visible: display !== 'none' && visibility === 'visible' && box !== null && box.width > 0 && box.height > 0, display, box };
}

/** The computed fill and stroke of a step's box. */
const boxColours = (page: Page, step: string) =>
  page.locator(`.graph [data-step="${step}"] > rect`).first().evaluate((el) => {
    const style = getComputedStyle(el);
    return { fill: style.fill, stroke: style.stroke };
  });

describeBrowser('dashboard as a person sees it (Chromium)', () => {
  let server: ApprovalServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let contract: InstanceRecord;
  let failed: InstanceRecord;
  const shots = screenshotDir();
  let pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `look-${name}.png`), fullPage: true });
  const go = (hash: string) => page.goto(`${server.url}/dashboard/${hash}`);
  const signIn = async (token: string) => {
    await go('#/instances');
    await signInWithToken(page, token);
    await page.locator('.auth-state').waitFor();
  };
  const openInstance = async (id: string) => {
    await go(`#/instances/${encodeURIComponent(id)}`);
    await page.locator('.page-header h1', { hasText: id }).waitFor();
    await page.locator('.graph').waitFor();
  };

  beforeAll(async () => {
    server = await startApprovalServer();
    const document = { id: 'DOC-3001', title: 'Supplier framework contract', type: 'contract', value: 250_000, author: 'dana' };
    contract = await server.engine.start('document_approval', { document }, { startedBy: { id: 'dana' } });
    failed = await server.engine.start('nightly_export', {}, { startedBy: { id: 'cron' } });
    await server.engine.waitFor(contract.id);
    await server.engine.waitFor(failed.id);
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, { width: 1400, height: 900 }));
  }, 90_000);

  afterAll(() => closeAll(context, browser, server), TEST_TIMEOUT);

  it('shows either the sign-in button or the token form, never both', async () => {
    await go('#/instances');
    await page.locator('[data-action="sign-in"]').waitFor();
    const button = page.locator('[data-action="sign-in"]');
    const form = page.locator('.auth-form');
    await expect(seen(button)).resolves.toMatchObject({ visible: true });
    await expect(seen(form)).resolves.toMatchObject({ visible: false, display: 'none', box: null });

    await button.click();
    await expect(seen(button)).resolves.toMatchObject({ visible: false, display: 'none', box: null });
    await expect(seen(form)).resolves.toMatchObject({ visible: true, display: 'flex' });
    await expect(seen(page.locator('input[name="token"]'))).resolves.toMatchObject({ visible: true });
    await shot('sign-in-form-1400');

    await page.fill('input[name="token"]', TOKENS.reader);
    await page.click('.auth-form button[type="submit"]');
    await expect(seen(page.locator('.auth-state'))).resolves.toMatchObject({ visible: true });
    await expect(seen(page.locator('[data-action="sign-out"]'))).resolves.toMatchObject({ visible: true });
    await expect(page.locator('.auth-form, [data-action="sign-in"]').count()).resolves.toBe(0);
  }, TEST_TIMEOUT);

  it('disables the commands a reader may not use, and says why', async () => {
    await signIn(TOKENS.reader);
    await openInstance(contract.id);
    for (const command of ['pause', 'cancel', 'signal', 'resume', 'retry']) {
      await expect(page.locator(`button[data-command="${command}"]`).isDisabled()).resolves.toBe(true);
    }
    await expect(page.locator('button[data-command="pause"]').getAttribute('title')).resolves.toBe('You may not pause this instance.');
    await expect(page.locator('button[data-command="signal"]').getAttribute('title')).resolves.toBe('You may not send signals to this instance.');
    await shot('reader-instance-1400');

    // The approver may: the commands the WAITING state allows are enabled.
    await signIn(TOKENS.approver);
    await openInstance(contract.id);
    for (const command of ['pause', 'cancel', 'signal']) await expect(page.locator(`button[data-command="${command}"]`).isEnabled()).resolves.toBe(true);
    await expect(page.locator('button[data-command="resume"]').getAttribute('title')).resolves.toBe('Not possible while the instance is waiting.');
  }, TEST_TIMEOUT);

  it('colours each box by its status: completed green, waiting amber, failed red, not reached grey', async () => {
    await signIn(TOKENS.approver);
    await openInstance(contract.id);
    await expect(page.locator('.graph [data-step="initial_review"]').getAttribute('data-status')).resolves.toBe('WAITING');
    const completed = await boxColours(page, 'submit_document');
    const waiting = await boxColours(page, 'initial_review');
    const notReached = await boxColours(page, 'legal_review');
    expect(completed).toEqual({ fill: 'rgb(211, 249, 216)', stroke: 'rgb(47, 158, 68)' });
    expect(waiting).toEqual({ fill: 'rgb(255, 243, 191)', stroke: 'rgb(240, 140, 0)' });
    expect(notReached).toEqual({ fill: 'rgb(248, 249, 250)', stroke: 'rgb(206, 212, 218)' });
    await shot('instance-waiting-1400');

    await openInstance(failed.id);
    await expect(page.locator('.graph [data-step="export_rows"]').getAttribute('data-status')).resolves.toBe('FAILED');
    const failedBox = await boxColours(page, 'export_rows');
    expect(failedBox).toEqual({ fill: 'rgb(255, 227, 227)', stroke: 'rgb(224, 49, 49)' });
    const all = [completed, waiting, notReached, failedBox];
    expect(new Set(all.map((c) => c.fill)).size).toBe(4);
    expect(new Set(all.map((c) => c.stroke)).size).toBe(4);
    // The legend's swatches use the same colours as the boxes.
    await expect(page.locator('.legend .swatch.status-failed').evaluate((el) => getComputedStyle(el).backgroundColor)).resolves.toBe('rgb(255, 227, 227)');
    await shot('instance-failed-1400');
  }, TEST_TIMEOUT);

  it('keeps edge labels off their lines and shows every line of every box in full', async () => {
    await go('#/definitions');
    await page.locator('[data-definition-card="payment_saga"] svg.graph').first().waitFor();
    const report = await page.evaluate(() => {
      const crossings: string[] = [];
      for (const edge of document.querySelectorAll('svg.graph .edge')) {
        const bg = edge.querySelector('.edge-label-bg');
        const line = edge.querySelector('.edge-line');
        if (!bg || !line) continue;
        const r = bg.getBBox();
        const length = line.getTotalLength();
        for (let d = 0; d <= length; d += 2) {
          const p = line.getPointAtLength(d);
          if (p.x > r.x && p.x < r.x + r.width && p.y > r.y && p.y < r.y + r.height) {
            crossings.push(`${edge.dataset.from}->${edge.dataset.to}`);
            break;
          }
        }
      }
      // Every text of a box (and every edge label) ends inside its box: nothing cut, nothing spilling.
      const spills: string[] = [];
      for (const node of document.querySelectorAll('svg.graph .node')) {
        const box = node.querySelector('rect')!.getBBox();
        for (const text of node.querySelectorAll('text:not(.status-label)')) {
          const t = text.getBBox();
          if (text.textContent!.includes('…') || t.x + t.width > box.x + box.width - 2) spills.push(`${node.dataset.step}: ${text.textContent}`);
        }
      }
      for (const edge of document.querySelectorAll('svg.graph .edge')) {
        const bg = edge.querySelector('.edge-label-bg');
        const text = edge.querySelector('.edge-label');
        if (!bg || !text) continue;
        const r = bg.getBBox(), t = text.getBBox();
        if (t.x < r.x || t.x + t.width > r.x + r.width) spills.push(`label ${text.textContent}`);
      }
      return { crossings, spills, labels: document.querySelectorAll('svg.graph .edge-label').length };
    });
    expect(report.labels).toBeGreaterThan(3);
    expect(report.crossings).toEqual([]);
    expect(report.spills).toEqual([]);
    await shot('definitions-1400');
  }, TEST_TIMEOUT);

  it('fits a 420 px wide screen: header controls on screen, the graph scrolls instead of being cut', async () => {
    await page.setViewportSize({ width: 420, height: 860 });
    await openInstance(contract.id);
    await shot('instance-420');
    const controls = page.locator('.topbar a, .topbar button, .topbar input, .topbar label');
    expect(await controls.count()).toBeGreaterThan(4);
    for (const control of await controls.all()) {
      const { visible, box } = await seen(control);
      if (!visible) continue;
      expect({ control: await control.evaluate((el) => el.outerHTML.slice(0, 60)), left: box!.x >= 0, right: box!.x + box!.width <= 420 }).toMatchObject({ left: true, right: true });
    }
    // The page itself does not scroll sideways; the graph's own container does.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(420);
    const scroller = page.locator('.graph-scroll');
    const dims = await scroller.evaluate((el) => ({ overflowX: getComputedStyle(el).overflowX, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, right: el.getBoundingClientRect().right }));
    expect(['auto', 'scroll']).toContain(dims.overflowX);
    expect(dims.scrollWidth).toBeGreaterThan(dims.clientWidth);
    expect(dims.right).toBeLessThanOrEqual(420);
    // Scrolled to its end, the last box is in view, whole.
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    const last = await page.locator('.graph [data-step="archive_document"] > rect').first().boundingBox();
    expect(last!.x + last!.width).toBeLessThanOrEqual(dims.right);
    expect(last!.x).toBeGreaterThanOrEqual(0);
    await shot('instance-420-scrolled');

    // The other pages do not scroll sideways either: wide tables and graphs scroll in place.
    for (const [hash, ready, name] of [['#/instances', `tr[data-instance="${contract.id}"]`, 'instances-420'], ['#/tasks', '.tabs', 'tasks-420'], ['#/definitions', '[data-definition-card="payment_saga"] svg.graph', 'definitions-420']] as const) {
      await go(hash);
      await page.locator(ready).first().waitFor();
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(420);
      await shot(name);
    }

    // Signing in from a narrow screen: the token form fits too.
    await page.locator('[data-action="sign-out"]').click();
    await page.click('[data-action="sign-in"]');
    const input = await seen(page.locator('input[name="token"]'));
    expect(input.visible).toBe(true);
    expect(input.box!.x + input.box!.width).toBeLessThanOrEqual(420);
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(420);
    await shot('sign-in-form-420');
  }, TEST_TIMEOUT);

  it('ran without errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
