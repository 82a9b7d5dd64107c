/**
 * The dashboard in a real headless Chromium against the document approval sample on Express:
 * sign in, list and open instances, approve the reviews on the Tasks page, watch the parallel
 * reviews finish and the instance complete, pause and resume through the confirmation dialog,
 * draw the definitions, and show a user without permission the refusal instead of the data.
 * Each page is screenshotted into `packages/dashboard/test-output/`.
 */
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { InstanceRecord } from '@workflow-mastery/core';
import { startApprovalServer, TOKENS, type ApprovalServer } from './approval-server.js';
import { closeAll, describeBrowser, launchChromium, openPage, screenshotDir, signInWithToken } from './chromium.js';

const TEST_TIMEOUT = 60_000;

describeBrowser('dashboard in Chromium (document approval on Express)', () => {
  let server: ApprovalServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let contract: InstanceRecord;
  let memo: InstanceRecord;
  const shots = screenshotDir();
  let pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const go = async (hash: string) => {
    await page.goto(`${server.url}/dashboard/${hash}`);
  };
  const signIn = async (token: string) => {
    await signInWithToken(page, token);
    await page.locator('.auth-state').waitFor();
  };
  const confirmDialog = async () => {
    const dialog = page.locator('dialog.dialog');
    await dialog.waitFor();
    await dialog.locator('[data-action="confirm"]').click();
    await dialog.waitFor({ state: 'detached' });
  };
  const openInstance = async (id: string) => {
    await go(`#/instances/${encodeURIComponent(id)}`);
    await page.locator('.page-header h1', { hasText: id }).waitFor();
  };
  /** The refusal panel's message once the page for `doing` has answered. */
  const refusal = async (doing: string) => {
    const message = page.locator('.refusal .refusal-message', { hasText: `You are not allowed to ${doing} (` });
    await message.waitFor();
    return message.textContent();
  };
  const nodeStatus = (step: string) => page.locator(`.graph [data-step="${step}"]`);
  const approveTask = async (role: string, step: string, comment: string) => {
    await go(`#/tasks?role=${role}`);
    const row = page.locator(`tr[data-step="${step}"][data-task^="${contract.id}."]`);
    await row.locator('a', { hasText: step }).click();
    await page.locator('h1', { hasText: `Task ${step}` }).waitFor();
    await page.fill('#wm-task-comment', comment);
    await page.click('[data-decision="approve"]');
    await confirmDialog();
    await page.locator('.panel.success, .toast-error').first().waitFor();
    await expect(page.locator('#wm-toasts .toast-error').count()).resolves.toBe(0);
    await expect(page.locator('.panel.success h2').textContent()).resolves.toBe(`Task ${step} approved`);
  };

  beforeAll(async () => {
    server = await startApprovalServer();
    const document = { id: 'DOC-2001', title: 'Master services agreement with Acme Corp', type: 'contract', value: 250_000, author: 'dana' };
    contract = await server.engine.start('document_approval', { document }, { startedBy: { id: 'dana' } });
    memo = await server.engine.start('document_approval', { document: { id: 'DOC-2002', title: 'Office plants memo', type: 'memo', value: 900, author: 'dana' } }, { startedBy: { id: 'dana' } });
    await server.engine.waitFor(contract.id);
    await server.engine.waitFor(memo.id);
    // The memo passes its initial review (through the API); a small memo skips both parallel reviews.
    await server.engine.completeTask(`${memo.id}.initial_review.1`, { review: { approved: true } }, { id: 'maria' });
    await server.engine.waitFor(memo.id);
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPage(browser, { width: 1360, height: 900 }));
  }, 90_000);

  afterAll(() => closeAll(context, browser, server), TEST_TIMEOUT);

  it('asks to sign in before showing anything, then lists the instances with counts per state', async () => {
    await go('#/instances');
    await expect(refusal('list instances')).resolves.toBe('You are not allowed to list instances (401 WF_UNAUTHENTICATED: Authentication required: no principal was found for this request.)');
    await expect(page.locator('.refusal h2').textContent()).resolves.toBe('Sign in required');
    await expect(page.locator('table').count()).resolves.toBe(0);

    await signIn(TOKENS.approver);
    await page.locator(`tr[data-instance="${contract.id}"]`).waitFor();
    await expect(page.locator('tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('.count[data-count="WAITING"] .count-n').textContent()).resolves.toBe('2');
    await expect(page.locator(`tr[data-instance="${contract.id}"] .badge`).textContent()).resolves.toBe('WAITING');
    await shot('instances');

    // The state filter narrows the list (and the URL says so).
    await page.click('.count[data-count="COMPLETED"]');
    await page.locator('.empty', { hasText: 'No instances match' }).waitFor();
    await page.click('.count[data-count="ALL"]');
    await page.locator(`tr[data-instance="${memo.id}"]`).waitFor();
  }, TEST_TIMEOUT);

  it('opens an instance: the graph coloured by status, the timeline and the data', async () => {
    await page.click(`tr[data-instance="${contract.id}"] a`);
    await page.locator('.graph').waitFor();
    await expect(nodeStatus('submit_document').getAttribute('data-status')).resolves.toBe('COMPLETED');
    await expect(nodeStatus('initial_review').getAttribute('data-status')).resolves.toBe('WAITING');
    await expect(nodeStatus('legal_review').getAttribute('data-status')).resolves.toBe('NOT_REACHED');
    await expect(page.locator('.graph [data-group="parallel_reviews"]').count()).resolves.toBe(1);
    await expect(page.locator('.graph .edge-label', { hasText: 'review.approved === true' }).count()).resolves.toBe(1);
    await expect(page.locator('.tl-row[data-step="submit_document"]').getAttribute('data-outcome')).resolves.toBe('completed');
    await expect(page.locator('.events li[data-type="task.opened"]').count()).resolves.toBe(1);
    await expect(page.locator('pre[aria-label="Instance data"]').textContent()).resolves.toContain('Master services agreement with Acme Corp');
    await shot('instance-waiting');
  }, TEST_TIMEOUT);

  it('approves the first review in the Tasks inbox with the decision the transitions read', async () => {
    await go('#/tasks?role=manager_role');
    await page.locator(`tr[data-task="${contract.id}.initial_review.1"]`).waitFor();
    await expect(page.locator('.tab[data-role="manager_role"] .tab-count').textContent()).resolves.toBe('1');
    await expect(page.locator('.tab[data-role="executive_role"] .tab-count').textContent()).resolves.toBe('1');
    await shot('tasks');

    await page.click(`tr[data-task="${contract.id}.initial_review.1"] a >> text=initial_review`);
    await page.locator('[data-decision="approve"]').waitFor();
    await page.fill('#wm-task-comment', 'Looks right to me');
    await shot('task');
    // Dismissing the confirmation does nothing.
    await page.click('[data-decision="approve"]');
    await page.locator('dialog.dialog [data-action="cancel"]').click();
    expect((await server.engine.getInstance(contract.id)).steps.initial_review!.status).toBe('WAITING');

    await page.click('[data-decision="approve"]');
    await confirmDialog();
    await page.locator('.panel.success').waitFor();
    await expect(page.locator('.panel.success h2').textContent()).resolves.toBe('Task initial_review approved');
    const after = await server.engine.getInstance(contract.id);
    expect(after.data.review).toEqual({ approved: true, decision: 'approved', comment: 'Looks right to me' });
    expect(after.steps.initial_review!.task!.completedBy).toBe('ada');
  }, TEST_TIMEOUT);

  it('watches the parallel reviews finish and the instance reach its end', async () => {
    await server.engine.waitFor(contract.id);
    await approveTask('legal_team', 'legal_review', 'Clauses are fine');

    // Open the instance and finish the compliance review behind its back: live refresh shows it.
    await openInstance(contract.id);
    await expect(nodeStatus('legal_review').getAttribute('data-status')).resolves.toBe('COMPLETED');
    await expect(nodeStatus('compliance_review').getAttribute('data-status')).resolves.toBe('WAITING');
    await shot('instance-parallel');
    await server.engine.completeTask(`${contract.id}.compliance_review.1`, { compliance: { approved: true } }, { id: 'carlos' });
    await page.locator('.graph [data-step="compliance_review"][data-status="COMPLETED"]').waitFor({ timeout: 8000 });
    await page.locator('.graph [data-step="final_approval"][data-status="WAITING"]').waitFor({ timeout: 8000 });

    await approveTask('executive_role', 'final_approval', 'Go');
    await page.click('.panel.success a.btn-primary');
    await page.locator('.page-header .badge[data-state="COMPLETED"]').waitFor({ timeout: 8000 });
    for (const step of ['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval', 'archive_document']) {
      await expect(nodeStatus(step).getAttribute('data-status')).resolves.toBe('COMPLETED');
    }
    await expect(nodeStatus('reject_document').getAttribute('data-status')).resolves.toBe('NOT_REACHED');
    await expect(page.locator('button[data-command="pause"]').isDisabled()).resolves.toBe(true);
    await expect(page.locator('.events li[data-type="workflow.completed"]').count()).resolves.toBe(1);
    const done = await server.engine.getInstance(contract.id);
    expect(done.state).toBe('COMPLETED');
    expect(done.data.approval).toEqual({ approved: true, granted: true, decision: 'approved', comment: 'Go' });
    await shot('instance-completed');
  }, TEST_TIMEOUT);

  it('pauses and resumes an instance, each after the confirmation dialog', async () => {
    await openInstance(memo.id);
    await page.locator('.page-header .badge[data-state="WAITING"]').waitFor();
    await expect(nodeStatus('legal_review').getAttribute('data-status')).resolves.toBe('SKIPPED');
    await page.click('button[data-command="pause"]');
    await page.locator('dialog.dialog').waitFor();
    await expect(page.locator('dialog.dialog h2').textContent()).resolves.toBe('Pause instance?');
    await shot('confirm-dialog');
    await confirmDialog();
    await page.locator('.page-header .badge[data-state="PAUSED"]').waitFor();
    expect((await server.engine.getInstance(memo.id)).state).toBe('PAUSED');
    await expect(page.locator('button[data-command="resume"]').isEnabled()).resolves.toBe(true);

    await page.click('button[data-command="resume"]');
    await confirmDialog();
    await page.locator('.page-header .badge[data-state="WAITING"]').waitFor();
    expect((await server.engine.getInstance(memo.id)).state).toBe('WAITING');
    await expect(page.locator('.events li[data-type="workflow.paused"]').count()).resolves.toBe(1);
    await expect(page.locator('.events li[data-type="workflow.resumed"]').count()).resolves.toBe(1);
  }, TEST_TIMEOUT);

  it('draws every registered definition as a graph', async () => {
    await go('#/definitions');
    const card = page.locator('[data-definition-card="document_approval"]');
    await card.waitFor();
    const graph = card.locator('svg.graph');
    await expect(graph.locator('.node').count()).resolves.toBe(7);
    await expect(graph.locator('.group[data-group="parallel_reviews"]').count()).resolves.toBe(1);
    await expect(graph.locator('.edge').count()).resolves.toBe(5);
    await expect(graph.locator('.edge-label', { hasText: 'approval.granted === true' }).count()).resolves.toBe(1);
    await expect(graph.locator('[data-step="legal_review"] .line-guard').textContent()).resolves.toBe('if document.type === "contract"');
    await expect(card.locator('summary .chip').first().textContent()).resolves.toBe('v1.5');

    // A saga: compensations inside the steps, the loop drawn back, both versions listed.
    const saga = page.locator('[data-definition-card="payment_saga"]');
    await expect(saga.locator('h2 .chip').allTextContents()).resolves.toEqual(['v1.0', 'v2.0']);
    const latest = saga.locator('details[data-version="2.0"] svg.graph');
    await expect(latest.locator('[data-step="charge_card"] .line-compensation').textContent()).resolves.toBe('undo: refund_card');
    await expect(latest.locator('[data-step="charge_card"] .line-action').textContent()).resolves.toBe('charge_card · 3 retries');
    await expect(latest.locator('.edge.back[data-from="charge_card"][data-to="reserve_stock"] .edge-label').textContent()).resolves.toBe('payment.retry_reservation === true');
    await shot('definitions');
  }, TEST_TIMEOUT);

  it('shows a user without permission the refusal, never the data', async () => {
    await signIn(TOKENS.outsider);
    await go('#/instances');
    await expect(refusal('list instances')).resolves.toBe('You are not allowed to list instances (403 WF_FORBIDDEN: Forbidden: "oscar" may not perform instances.list here.)');
    await expect(page.locator('table').count()).resolves.toBe(0);
    await expect(page.locator('body').textContent()).resolves.not.toContain(contract.id);
    await shot('refused');

    await go(`#/instances/${encodeURIComponent(contract.id)}`);
    await expect(refusal('read this instance')).resolves.toMatch(/\(403 WF_FORBIDDEN: Forbidden: "oscar" may not perform instances\.read here\.\)$/);
    await expect(page.locator('body').textContent()).resolves.not.toContain('Master services agreement');
    await expect(page.locator('.graph').count()).resolves.toBe(0);

    await go('#/tasks');
    await expect(refusal('list the open tasks')).resolves.toContain('403 WF_FORBIDDEN');
    await expect(page.locator('table').count()).resolves.toBe(0);
    await go('#/definitions');
    await expect(refusal('list the definitions')).resolves.toContain('403 WF_FORBIDDEN');
    await expect(page.locator('svg.graph').count()).resolves.toBe(0);
  }, TEST_TIMEOUT);

  it('ran without errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
