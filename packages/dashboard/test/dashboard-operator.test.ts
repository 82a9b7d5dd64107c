/**
 * The operator controls in a real headless Chromium: every stored version on the Definitions page
 * (one the server never loaded included), migrating an instance with the dry-run plan shown before
 * it is applied, skipping a step, retrying from a step, editing the data, and the buttons disabled
 * for a reader. Screenshots go to `packages/dashboard/test-output/`.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { InstanceRecord } from '@workflow-mastery/core';
import { closeAll, describeBrowser, launchChromium, openPage, screenshotDir, signInWithToken } from './chromium.js';
import { PARCEL_TOKENS, parcelV1, startParcelServer, type ParcelServer } from './parcel-server.js';

const TEST_TIMEOUT = 60_000;

/** Polls `check` until it holds (the engine runs the next steps after the API answered). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeBrowser('operator controls in Chromium (parcel on Express)', () => {
  let server: ParcelServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[] = [];
  let first: InstanceRecord;
  let second: InstanceRecord;
  const shots = screenshotDir();

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const dialog = () => page.locator('dialog.dialog');
  const confirm = async () => {
    await dialog().locator('[data-action="confirm"]').click();
    await dialog().waitFor({ state: 'detached' });
  };
  const openInstance = async (id: string) => {
    await page.goto(`${server.url}/dashboard/#/instances/${encodeURIComponent(id)}`);
    await page.locator('.page-header h1', { hasText: id }).waitFor();
    await page.locator('[data-step-row]').first().waitFor();
  };
  const stepButton = (step: string, command: string) => page.locator(`tr[data-step-row="${step}"] button[data-step-command="${command}"]`);
  const toast = (kind: 'ok' | 'error', text: string) => page.locator(`#wm-toasts .toast-${kind}`, { hasText: text });

  beforeAll(async () => {
    server = await startParcelServer();
    // On v1 (by name, the latest stored version would be chosen).
    first = await server.engine.start(parcelV1, {}, { startedBy: { id: 'shop' } });
    second = await server.engine.start(parcelV1, {}, { startedBy: { id: 'shop' } });
    await server.engine.waitFor(first.id);
    await server.engine.waitFor(second.id);
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
    await page.goto(`${server.url}/dashboard/#/definitions`);
    await signInWithToken(page, PARCEL_TOKENS.operator);
    await page.locator('.auth-state').waitFor();
  }, 90_000);

  afterAll(() => closeAll(context, browser, server), TEST_TIMEOUT);

  it('lists every stored version, drawing one the server never loaded from the store', async () => {
    await page.goto(`${server.url}/dashboard/#/definitions`);
    const card = page.locator('[data-definition-card="parcel"]');
    await card.waitFor();
    await expect(card.locator('h2 .chip').allTextContents()).resolves.toEqual(['v1', 'v2', 'v3']);
    const v3 = card.locator('details.version[data-version="3"]');
    await expect(v3.getAttribute('data-stored')).resolves.toBe('true');
    await expect(v3.getAttribute('data-loaded')).resolves.toBe('false');
    await expect(card.locator('details.version[data-version="2"]').getAttribute('data-loaded')).resolves.toBe('true');
    await expect(v3.locator('.version-facts').textContent()).resolves.toMatch(/^stored \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · hash [0-9a-f]{12} · not loaded on this server$/);
    // The newest version is open and drawn: four steps of v3.
    await expect(v3.locator('svg.graph .node').count()).resolves.toBe(4);
    await shot('definitions-stored-versions');
  }, TEST_TIMEOUT);

  it('migrates an instance: the refusal of an unplaced step, then the dry-run plan, then applied', async () => {
    await openInstance(first.id);
    await page.click('button[data-command="migrate"]');
    await dialog().waitFor();
    await expect(dialog().locator('select[name="toVersion"] option').allTextContents()).resolves.toEqual(['v3', 'v2']);
    await page.selectOption('select[name="toVersion"]', '2');
    await confirm();
    // wait_pickup has no place in v2: the API's refusal is shown, nothing changed.
    await toast('error', 'place it with stepMap').waitFor();
    await expect(toast('error', 'place it with stepMap').textContent()).resolves.toMatch(/^Could not migrate this instance to v2: 400 WF_INPUT_INVALID: /);
    expect((await server.engine.getInstance(first.id)).definitionVersion).toBe('1');

    await page.click('button[data-command="migrate"]');
    await page.selectOption('select[name="toVersion"]', '2');
    await page.fill('#wm-field-stepMap', '{"wait_pickup": "await_courier"}');
    // The choice's dialog closes and the plan's opens once the dry run has answered.
    await dialog().locator('[data-action="confirm"]').click();
    const plan = page.locator('dialog.dialog .migration-plan');
    await plan.waitFor();
    await expect(dialog().locator('h2').textContent()).resolves.toBe('Apply the migration to v2?');
    await expect(plan.locator('tr[data-plan-step="wait_pickup"]').getAttribute('data-plan-to')).resolves.toBe('await_courier');
    await expect(plan.locator('tr[data-plan-step="wait_pickup"] td').allTextContents()).resolves.toEqual(['open step', 'wait_pickup', 'await_courier', 'waiting · moved']);
    await expect(plan.locator('tr[data-plan-step="pack"]').getAttribute('data-plan-to')).resolves.toBe('pack');
    await shot('migrate-plan');
    // The dry run changed nothing.
    expect((await server.engine.getInstance(first.id)).definitionVersion).toBe('1');
    await confirm();
    await toast('ok', 'Migrated to v2').waitFor();
    await page.locator('dd', { hasText: 'parcel v2' }).waitFor();
    const moved = await server.engine.getInstance(first.id);
    expect(moved.definitionVersion).toBe('2');
    expect(moved.steps.await_courier!.status).toBe('WAITING');
    await page.locator('.events li[data-type="instance.migrated"]').waitFor();
  }, TEST_TIMEOUT);

  it('skips a waiting step with data, and the instance finishes on the new version', async () => {
    await openInstance(first.id);
    await expect(stepButton('pack', 'skip').isDisabled()).resolves.toBe(true);
    await stepButton('await_courier', 'skip').click();
    await dialog().waitFor();
    await page.fill('#wm-field-data', '{"picked_by": "hand"}');
    await confirm();
    await toast('ok', 'Step await_courier skipped').waitFor();
    await eventually(async () => (await server.engine.getInstance(first.id)).state === 'COMPLETED', 'the skipped instance completes');
    const done = await server.engine.getInstance(first.id);
    expect(done.data).toMatchObject({ picked_by: 'hand', notify_count: 1 });
    await page.reload();
    await page.locator('.page-header .badge[data-state="COMPLETED"]').waitFor();
    await expect(page.locator('button[data-command="migrate"]').isDisabled()).resolves.toBe(true);
    await expect(page.locator('.events li[data-type="step.skipped_by_operator"]').count()).resolves.toBe(1);
  }, TEST_TIMEOUT);

  it('retries from a completed step and edits the data, each after its confirmation', async () => {
    await openInstance(second.id);
    await expect(stepButton('wait_pickup', 'retry-from').isDisabled()).resolves.toBe(true);
    await stepButton('pack', 'retry-from').click();
    await expect(dialog().locator('h2').textContent()).resolves.toBe('Retry from pack?');
    await confirm();
    await toast('ok', 'Retried from pack').waitFor();
    await eventually(async () => (await server.engine.getInstance(second.id)).data.pack_count === 2, 'pack runs again');
    await page.locator('.events li[data-type="instance.retried_from"]').waitFor();

    await page.click('button[data-command="update-data"]');
    await page.fill('#wm-field-patch', '{"address": "1 Main St"}');
    await confirm();
    await toast('ok', 'Data updated').waitFor();
    expect((await server.engine.getInstance(second.id)).data).toMatchObject({ address: '1 Main St', pack_count: 2 });

    // A patch that is not an object is refused in the dialog itself.
    await page.click('button[data-command="update-data"]');
    await page.fill('#wm-field-patch', '[1]');
    await dialog().locator('[data-action="confirm"]').click();
    await expect(dialog().locator('.dialog-error').textContent()).resolves.toBe('Patch (JSON object) must be a JSON object, like {"approved": true}.');
    await dialog().locator('[data-action="cancel"]').click();
  }, TEST_TIMEOUT);

  it('disables every operator control for a reader, with the reason', async () => {
    await signInWithToken(page, PARCEL_TOKENS.reader);
    await page.locator('.auth-state').waitFor();
    await openInstance(second.id);
    await page.locator('button[data-command="migrate"][disabled]').waitFor();
    await expect(page.locator('button[data-command="migrate"]').getAttribute('title')).resolves.toBe('You may not migrate this instance.');
    await expect(page.locator('button[data-command="update-data"]').getAttribute('title')).resolves.toBe('You may not edit the data of this instance.');
    await expect(stepButton('pack', 'retry-from').getAttribute('title')).resolves.toBe('You may not retry this instance from a step.');
    await expect(stepButton('wait_pickup', 'skip').getAttribute('title')).resolves.toBe('You may not skip steps of this instance.');
    for (const button of await page.locator('[data-step-command], button[data-command="migrate"], button[data-command="update-data"]').all()) {
      await expect(button.isDisabled()).resolves.toBe(true);
    }
    await shot('operator-reader');
    expect(pageErrors).toEqual([]);
  }, TEST_TIMEOUT);
});
