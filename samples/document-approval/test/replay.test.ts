/** replayHistory on the document approval workflow: human tasks, parallel reviews, expiries; a changed guard or a renamed review is reported. */
import { describe, expect, it } from '@jest/globals';
import { ManualClock, MemoryStorage, replayHistory, scaledClock, silentLogger } from '@workflow-mastery/core';
import type { JsonObject, WorkflowDefinitionInput } from '@workflow-mastery/core';
import { expectEveryHistoryReplays, recordedRuns } from '../../sample-kit/test/replay-histories.js';
import type { ApprovalDemoOptions } from '../src/approval-demo.js';
import { createApprovalEngine, defaultDocument, runApprovalDemo, scriptedDecisions } from '../src/approval-demo.js';
import { documentApprovalWorkflow } from '../src/document-approval.workflow.js';

const DAY = 86_400_000;
const doc = (type: string, value: number) => ({ ...defaultDocument, type, value });

describe('document approval: replaying recorded histories', () => {
  it('every branch (both reviews, none, one; rejected early; refused at the end; invalid) replays, from the engine and as JSON', async () => {
    const storage = new MemoryStorage();
    const demo = (options: ApprovalDemoOptions = {}) => runApprovalDemo({ storage, clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000, ...options });
    await demo({ document: doc('contract', 250_000) });
    await demo({ document: doc('memo', 500) });
    await demo({ document: doc('contract', 100_000) });
    await demo({ decide: scriptedDecisions({ initial_review: 'reject' }) });
    await demo({ decide: scriptedDecisions({ final_approval: 'reject' }) });
    await demo({ document: { ...defaultDocument, title: ' ', value: -5 } });
    const states = await expectEveryHistoryReplays(storage, documentApprovalWorkflow);
    expect(states.sort()).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'FAILED']);
  });

  it('on a manual clock: a task claimed then completed, the initial review overdue after 2d, a parallel review overdue after 5d', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const { engine } = createApprovalEngine({ storage, clock, logger: silentLogger });
    const claimed = await engine.start('document_approval', { document: defaultDocument as unknown as JsonObject });
    await engine.waitFor(claimed.id);
    const [task] = await engine.listTasks({ instanceId: claimed.id });
    await engine.claimTask(task!.id, 'maria');
    await engine.completeTask(task!.id, { review: { approved: false, by: 'maria' } }, 'maria');
    expect((await engine.waitFor(claimed.id, { until: 'terminal' })).state).toBe('COMPLETED');

    const overdue = await engine.start('document_approval', { document: defaultDocument as unknown as JsonObject });
    await engine.waitFor(overdue.id);
    await clock.advance(2 * DAY);
    expect((await engine.waitFor(overdue.id, { until: 'terminal' })).error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'initial_review' });
    await engine.close();

    const reviewClock = new ManualClock();
    const left = await runApprovalDemo({
      storage,
      clock: reviewClock,
      logger: silentLogger,
      timeoutMs: 10_000,
      decide: (view) => {
        if (view.task.stepId !== 'legal_review') return { approve: true };
        setImmediate(() => void reviewClock.advance(5 * DAY));
        return undefined;
      },
    });
    expect(left.instance.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'legal_review' });
    expect((await expectEveryHistoryReplays(storage, documentApprovalWorkflow)).sort()).toEqual(['COMPLETED', 'FAILED', 'FAILED']);
  });

  it('version 1.6 raises the compliance threshold, then renames the legal review: the first divergence of each', async () => {
    const storage = new MemoryStorage();
    await runApprovalDemo({ storage, clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000, document: doc('contract', 250_000) });
    const [run] = await recordedRuns(storage);
    const history = run!.history;

    const raised = {
      ...documentApprovalWorkflow,
      version: '1.6',
      steps: { ...documentApprovalWorkflow.steps, compliance_review: { ...documentApprovalWorkflow.steps.compliance_review, conditions: ['document.value > 300000'] } },
    } as WorkflowDefinitionInput;
    const guard = replayHistory(history, raised);
    expect(!guard.valid && guard.divergence).toMatchObject({
      stepId: 'compliance_review',
      event: { type: 'step.scheduled', stepId: 'compliance_review' },
      expected: { type: 'step.skipped', stepId: 'compliance_review' },
      reason: "guard changed: the recorded run ran 'compliance_review', the definition skips it (its conditions: `document.value > 300000`)",
    });

    const { legal_review: legal, ...others } = documentApprovalWorkflow.steps;
    const renamed = {
      ...documentApprovalWorkflow,
      version: '1.7',
      steps: { ...others, legal_check: legal },
      parallel_groups: { parallel_reviews: ['legal_check', 'compliance_review'] },
    } as WorkflowDefinitionInput;
    const rename = replayHistory(history, renamed);
    expect(!rename.valid && rename.divergence).toMatchObject({ stepId: 'legal_review', event: { type: 'step.scheduled', stepId: 'legal_review' }, expected: { stepId: 'legal_check' } });
    expect(!rename.valid && rename.divergence.reason).toContain("step renamed or removed: recorded step.scheduled of 'legal_review' but the definition has no step 'legal_review'");
  });
});
