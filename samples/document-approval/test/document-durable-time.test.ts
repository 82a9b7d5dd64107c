/**
 * The document approval's task due times, tested with @workflow-mastery/testing: the initial
 * review expires after 2 days, and the parallel reviews each have their own due time, all in
 * milliseconds of wall time.
 */
import { describe, expect, it } from '@jest/globals';
import { createTestEngine } from '@workflow-mastery/testing/jest';
import { defaultDocument } from '../src/approval-demo.js';
import { documentActions } from '../src/document-actions.js';
import { documentApprovalWorkflow } from '../src/document-approval.workflow.js';
import { DemoServices } from '../src/demo-services.js';

const H = 3_600_000;
const D = 24 * H;

function approvals() {
  let services: DemoServices | undefined;
  const t = createTestEngine({ definitions: [documentApprovalWorkflow], actions: documentActions, actionFactory: (cls) => new cls(services!) });
  services = new DemoServices(t.clock);
  return { t, services };
}

describe('document approval: task due times with the test kit', () => {
  it('an initial review nobody completes expires after 2 days and fails the instance', async () => {
    const { t, services } = approvals();
    const t0 = t.now();
    const doc = await t.start('document_approval', { document: { ...defaultDocument } });
    expect(doc).toHaveState('WAITING');
    expect(doc.steps.initial_review!.task).toMatchObject({ state: 'OPEN', assignedTo: 'manager_role', dueAt: t0 + 2 * D });
    expect(services.inbox.map((m) => m.to)).toEqual(['manager_role']);

    await t.advance('47h59m');
    expect(await t.instance(doc.id)).toHaveState('WAITING');
    await t.advance('1m');
    const expired = await t.instance(doc.id);
    expect(expired).toHaveFailedWith('WF_TIMEOUT');
    expect(expired).toHaveTakenPath(['submit_document', 'initial_review(failed)']);
    expect(expired).toHaveHistoryEvent('task.expired', { stepId: 'initial_review', data: { assignedTo: 'manager_role' } });
    expect(expired.steps.initial_review!.task!.state).toBe('EXPIRED');
    expect(expired.completedAt! - t0).toBe(2 * D);
  });

  it('a review completed just before its due time goes on; the parallel reviews then run on their own clocks', async () => {
    const { t } = approvals();
    const t0 = t.now();
    const doc = await t.start('document_approval', { document: { ...defaultDocument } });
    await t.advance('47h');
    const reviewed = await t.completeTask(doc.id, 'initial_review', { review: { approved: true } }, 'maria');
    expect(reviewed.steps.legal_review!.task).toMatchObject({ state: 'OPEN', dueAt: t0 + 47 * H + 5 * D });
    expect(reviewed.steps.compliance_review!.task).toMatchObject({ state: 'OPEN', dueAt: t0 + 47 * H + 3 * D });

    // Legal answers on day 1; compliance never does: its 3-day due time fails the instance.
    await t.advance('1d');
    await t.completeTask(doc.id, 'legal_review', { legal: { approved: true } }, 'lena');
    await t.advance('2d');
    const failed = await t.instance(doc.id);
    expect(failed).toHaveFailedWith('WF_TIMEOUT');
    expect(failed).toHaveTakenPath(['submit_document', 'initial_review', 'legal_review', 'compliance_review(failed)']);
    expect(failed.completedAt! - t0).toBe(47 * H + 3 * D);
  });

  it('every task completed in time: archived', async () => {
    const { t, services } = approvals();
    const doc = await t.start('document_approval', { document: { ...defaultDocument } });
    await t.advance('1d');
    await t.completeTask(doc.id, 'initial_review', { review: { approved: true } });
    await t.advance('2d');
    await t.completeTask(doc.id, 'compliance_review', { compliance: { approved: true } });
    await t.completeTask(doc.id, 'legal_review', { legal: { approved: true } });
    await t.advance('23h');
    const done = await t.completeTask(doc.id, 'final_approval', { approval: { granted: true } }, 'erin');
    expect(done).toHaveState('COMPLETED');
    expect(done).toHaveTakenPath(['submit_document', 'initial_review', 'compliance_review', 'legal_review', 'final_approval', 'archive_document']);
    expect(services.store.documents.get(defaultDocument.id)?.status).toBe('archived');
  });
});
