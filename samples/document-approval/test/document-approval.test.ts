/** End-to-end: the seed's document approval workflow, every branch, on the real engine. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { ActionRegistry, FileStorage, ManualClock, MemoryStorage, parseDefinition, scaledClock, silentLogger, toMermaid } from '@workflow-mastery/core';
import type { JsonObject } from '@workflow-mastery/core';
import type { ApprovalDemoOptions } from '../src/approval-demo.js';
import { createApprovalEngine, defaultDocument, runApprovalDemo, scriptedDecisions } from '../src/approval-demo.js';
import { parseApprovalArgs, runApprovalCli } from '../src/approval-demo-cli.js';
import { documentActions } from '../src/document-actions.js';
import { documentApprovalWorkflow } from '../src/document-approval.workflow.js';

const run = promisify(execFile);
const DAY = 86_400_000;

/** Run the demo on memory storage with time 1000× faster. */
const demo = (options: ApprovalDemoOptions = {}) => runApprovalDemo({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000, ...options });
const doc = (type: string, value: number) => ({ ...defaultDocument, type, value });

describe('document approval sample', () => {
  it('ports the seed definition as it stands (named group, reject_document added)', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(documentActions);
    const def = parseDefinition(documentApprovalWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) });
    expect(def.start).toBe('submit_document');
    expect(def.groups).toEqual({ parallel_reviews: ['legal_review', 'compliance_review'] });
    expect(def.source.steps.legal_review).toEqual({ action: 'request_legal_review', assigned_to: 'legal_team', timeout: '5d', conditions: ['document.type === "contract"'] });
    expect(def.source.steps.compliance_review).toEqual({ action: 'request_compliance_review', assigned_to: 'compliance_team', timeout: '3d', conditions: ['document.value > 100000'] });
    expect(def.source.steps.final_approval).toEqual({ action: 'request_final_approval', assigned_to: 'executive_role', timeout: '1d' });
    expect(Object.keys(def.steps)).toEqual(['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval', 'archive_document', 'reject_document']);
    expect(def.source.transitions).toEqual([
      { from: 'submit_document', to: 'initial_review' },
      { from: 'initial_review', to: 'parallel_reviews', condition: 'review.approved === true' },
      { from: 'initial_review', to: 'reject_document', condition: 'review.approved === false' },
      { from: 'parallel_reviews', to: 'final_approval', join: 'all' },
      { from: 'final_approval', to: 'archive_document', condition: 'approval.granted === true' },
    ]);
    expect(def.onFailure).toBe('fail');
  });

  it('draws as a Mermaid flowchart: the reviews as a subgraph joined on all, their guards, the human tasks', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(documentActions);
    const def = parseDefinition(documentApprovalWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) });
    const lines = toMermaid(def).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  subgraph g_parallel_reviews ["parallel_reviews: parallel"]',
        '    s_legal_review(["legal_review<br/>action: request_legal_review<br/>human task: legal_team<br/>guard: document.type === #quot;contract#quot;"])',
        '    s_compliance_review(["compliance_review<br/>action: request_compliance_review<br/>human task: compliance_team<br/>guard: document.value #gt; 100000"])',
        '  s_initial_review -->|"review.approved === true"| g_parallel_reviews',
        '  s_initial_review -->|"review.approved === false"| s_reject_document',
        '  g_parallel_reviews -->|"join: all"| s_final_approval',
        '  s_final_approval -->|"approval.granted === true"| s_archive_document',
        '  class s_final_approval human',
      ]),
    );
    for (const id of Object.keys(def.steps)) expect(lines.filter((l) => l.trim().startsWith(`s_${id}[`) || l.trim().startsWith(`s_${id}(`))).toHaveLength(1);
  });

  it('approves a large contract: both parallel reviews run, then the executive, then the archive', async () => {
    const outcome = await demo({ document: doc('contract', 250_000) });
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval', 'archive_document']);
    expect(outcome.asExpected).toBe(true);
    expect(outcome.tasks.map((t) => [t.stepId, t.assignedTo, t.by, t.outcome])).toEqual([
      ['initial_review', 'manager_role', 'maria', 'completed'],
      ['legal_review', 'legal_team', 'lena', 'completed'],
      ['compliance_review', 'compliance_team', 'carlos', 'completed'],
      ['final_approval', 'executive_role', 'erin', 'completed'],
    ]);
    const data = outcome.instance.data;
    expect(data).toMatchObject({
      review: { approved: true, by: 'maria' },
      legal: { approved: true, by: 'lena' },
      compliance: { approved: true, by: 'carlos' },
      approval: { granted: true, by: 'erin' },
      document: { id: 'DOC-2001', status: 'archived' },
      archive: { location: expect.stringMatching(/^archive:\/\/\d{4}\/DOC-2001$/) },
    });
    // The preparing actions ran first: each task step recorded when it was requested.
    for (const step of ['initial_review', 'legal_review', 'compliance_review', 'final_approval']) expect(typeof data[`${step}_requested_at`]).toBe('string');
    expect(outcome.services.inbox.map((m) => m.to)).toEqual(['manager_role', 'legal_team', 'compliance_team', 'executive_role']);
    expect(outcome.services.store.documents.get('DOC-2001')).toMatchObject({ status: 'archived' });
    // The group entered both reviews in one decision, and both tasks were open at the same time.
    const { legal_review: legal, compliance_review: compliance } = outcome.instance.steps;
    expect(legal!.scheduledAt).toBe(compliance!.scheduledAt);
    expect(compliance!.task!.openedAt).toBeLessThanOrEqual(legal!.task!.completedAt!);
  });

  it('skips both parallel reviews for a low-value non-contract: the join fires at once', async () => {
    const outcome = await demo({ document: doc('memo', 500) });
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'legal_review(skipped)', 'compliance_review(skipped)', 'final_approval', 'archive_document']);
    expect(outcome.instance.steps.legal_review).toMatchObject({ status: 'SKIPPED' });
    expect(outcome.instance.steps.compliance_review).toMatchObject({ status: 'SKIPPED' });
    expect(outcome.tasks.map((t) => t.stepId)).toEqual(['initial_review', 'final_approval']);
    expect(outcome.instance.data.legal_review_requested_at).toBeUndefined();
  });

  it('runs only the legal review for a contract of 100000 or less', async () => {
    const outcome = await demo({ document: doc('contract', 100_000) });
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'compliance_review(skipped)', 'legal_review', 'final_approval', 'archive_document']);
    expect(outcome.tasks.map((t) => t.stepId)).toEqual(['initial_review', 'legal_review', 'final_approval']);
  });

  it('runs only the compliance review for a valuable non-contract (type is normalized)', async () => {
    const outcome = await demo({ document: doc(' Policy ', 500_000) });
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(outcome.instance.data.document).toMatchObject({ type: 'policy' });
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'legal_review(skipped)', 'compliance_review', 'final_approval', 'archive_document']);
  });

  it('rejected at initial review: reject_document, the author is told, no review opens', async () => {
    const outcome = await demo({ decide: scriptedDecisions({ initial_review: 'reject' }) });
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'reject_document']);
    expect(outcome.instance.data).toMatchObject({ review: { approved: false, by: 'maria' }, document: { status: 'rejected' }, rejection: { by: 'maria', reason: 'rejected (scripted)' } });
    expect(outcome.instance.steps.legal_review).toBeUndefined();
    expect(outcome.services.inbox).toContainEqual({ to: 'dana', subject: 'DOC-2001 "Master services agreement with Acme Corp" was rejected: rejected (scripted)' });
    expect(outcome.services.store.documents.get('DOC-2001')).toMatchObject({ status: 'rejected' });
    expect(outcome.asExpected).toBe(true);
  });

  it('rejected at final approval: FAILED with WF_NO_ROUTE naming the condition (the seed has no route)', async () => {
    const outcome = await demo({ decide: scriptedDecisions({ final_approval: 'reject' }) });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval']);
    expect(outcome.instance.error).toMatchObject({
      code: 'WF_NO_ROUTE',
      message: expect.stringContaining('No transition from "final_approval" matched: tried `approval.granted === true`'),
      details: { from: 'final_approval', conditions: ['approval.granted === true'] },
    });
    expect(outcome.instance.data.archive).toBeUndefined();
    expect(outcome.services.store.documents.get('DOC-2001')).toMatchObject({ status: 'submitted' });
    expect(outcome.asExpected).toBe(true);
  });

  it('review verdicts do not route: the executive decides (refusing after a legal rejection, or overriding it)', async () => {
    const follows = await demo({ decide: scriptedDecisions({ legal_review: 'reject' }) });
    expect(follows.instance.data).toMatchObject({ legal: { approved: false }, approval: { granted: false, comment: 'follows the legal' } });
    expect(follows.instance.error?.code).toBe('WF_NO_ROUTE');

    const overrides = await demo({ decide: scriptedDecisions({ legal_review: 'reject', final_approval: 'approve' }) });
    expect(overrides.instance.state).toBe('COMPLETED');
    expect(overrides.path.at(-1)).toBe('archive_document');
  });

  it('initial review overdue after 2d: the step and the instance FAIL with WF_TIMEOUT', async () => {
    const clock = new ManualClock();
    const { engine } = createApprovalEngine({ storage: new MemoryStorage(), clock, logger: silentLogger });
    try {
      const { id } = await engine.start('document_approval', { document: defaultDocument as unknown as JsonObject });
      expect((await engine.waitFor(id)).state).toBe('WAITING');
      const [task] = await engine.listTasks({ assignedTo: 'manager_role' });
      expect(task).toMatchObject({ stepId: 'initial_review', state: 'OPEN', dueAt: clock.now() + 2 * DAY });

      await clock.advance(2 * DAY - 1);
      expect((await engine.getInstance(id)).state).toBe('WAITING');
      await clock.advance(1);
      const inst = await engine.waitFor(id, { until: 'terminal' });
      expect(inst.state).toBe('FAILED');
      expect(inst.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'initial_review', message: expect.stringContaining('was not completed by its due time (2d)') });
      expect(inst.steps.initial_review).toMatchObject({ status: 'FAILED', task: { state: 'EXPIRED' } });
      await expect(engine.completeTask(task!.id, { review: { approved: true } }, 'maria')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION' });
    } finally {
      await engine.close();
    }
  });

  it('a parallel review left open fails the run when it is overdue (5d), through the demo driver', async () => {
    const clock = new ManualClock();
    const outcome = await runApprovalDemo({
      storage: new MemoryStorage(),
      clock,
      logger: silentLogger,
      timeoutMs: 10_000,
      decide: (view) => {
        if (view.task.stepId !== 'legal_review') return { approve: true };
        setImmediate(() => void clock.advance(5 * DAY));
        return undefined;
      },
    });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'legal_review' });
    expect(outcome.path).toEqual(['submit_document', 'initial_review', 'compliance_review', 'legal_review(failed)']);
    expect(outcome.tasks.find((t) => t.stepId === 'legal_review')).toMatchObject({ outcome: 'left open' });
  });

  it('a task claimed by one reviewer is refused to another, then completed by the claimant', async () => {
    const { engine } = createApprovalEngine({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger });
    try {
      const { id } = await engine.start('document_approval', { document: defaultDocument as unknown as JsonObject });
      await engine.waitFor(id);
      const [task] = await engine.listTasks({ instanceId: id });
      expect(await engine.listTasks({ assignedTo: 'legal_team' })).toEqual([]);
      expect(await engine.claimTask(task!.id, 'maria')).toMatchObject({ state: 'CLAIMED', claimedBy: 'maria' });
      await expect(engine.claimTask(task!.id, 'mallory')).rejects.toMatchObject({ code: 'WF_ILLEGAL_TRANSITION', message: expect.stringContaining('claimed by maria') });
      await expect(engine.completeTask(task!.id, { review: { approved: true } }, 'mallory')).rejects.toMatchObject({
        code: 'WF_ILLEGAL_TRANSITION',
        message: expect.stringContaining('claimed by maria'),
      });
      expect((await engine.getInstance(id)).steps.initial_review!.status).toBe('WAITING');
      await engine.completeTask(task!.id, { review: { approved: true, by: 'maria' } }, 'maria');
      const next = await engine.waitFor(id);
      expect(next.steps.initial_review).toMatchObject({ status: 'COMPLETED', task: { completedBy: 'maria' } });
      expect((await engine.listTasks({ instanceId: id })).map((t) => t.stepId)).toEqual(['legal_review', 'compliance_review']);
    } finally {
      await engine.close();
    }
  });

  it('an invalid document fails at submission, before any task opens', async () => {
    const outcome = await demo({ document: { ...defaultDocument, title: ' ', value: -5 } });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'INVALID_DOCUMENT', stepId: 'submit_document', message: 'invalid document: title is missing; value must be a number ≥ 0' });
    expect(outcome.path).toEqual(['submit_document(failed)']);
    expect(outcome.tasks).toEqual([]);
    expect(outcome.expected).toMatchObject({ state: 'FAILED', errorCode: 'INVALID_DOCUMENT' });
    expect(outcome.asExpected).toBe(true);
  });

  it('resumes an interrupted run from file storage at its open task', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-approval-'));
    try {
      const storage = () => new FileStorage({ directory, fsync: false });
      await expect(
        runApprovalDemo({
          storage: storage(),
          clock: scaledClock(1000),
          logger: silentLogger,
          decide: (view) => {
            if (view.task.stepId === 'legal_review') throw new Error('reviewer walked away (process killed)');
            return { approve: true };
          },
        }),
      ).rejects.toThrow('reviewer walked away');
      const lines: string[] = [];
      const outcome = await runApprovalDemo({ storage: storage(), clock: scaledClock(1000), logger: silentLogger, write: (l) => lines.push(l) });
      expect(outcome.resumed).toBe(true);
      expect(lines[0]).toBe('resuming DOC-2001* left unfinished by an earlier run (its document is kept)');
      expect(outcome.instance.state).toBe('COMPLETED');
      expect(outcome.path).toEqual(['submit_document', 'initial_review', 'legal_review', 'compliance_review', 'final_approval', 'archive_document']);
      expect(outcome.tasks.map((t) => t.stepId)).toEqual(['legal_review', 'compliance_review', 'final_approval']);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('parses its flags', () => {
    expect(parseApprovalArgs(['--type', 'memo', '--value', '12', '--decide', 'initial_review=approve,final_approval=reject', '--auto'])).toMatchObject({
      document: { type: 'memo', value: 12, id: 'DOC-2001' },
      decisions: { initial_review: 'approve', final_approval: 'reject' },
      auto: true,
    });
    expect(() => parseApprovalArgs(['--decide', 'archive_document=approve'])).toThrow('not a human task step');
    expect(() => parseApprovalArgs(['--decide', 'legal_review=maybe'])).toThrow('say approve or reject');
    expect(() => parseApprovalArgs(['--value', 'lots'])).toThrow('--value must be a number');
    expect(() => parseApprovalArgs(['--value=-1', '--title', ''])).toThrow('the document would be refused at submission: title is missing; value must be a number ≥ 0');
    expect(() => parseApprovalArgs(['--colour'])).toThrow(/Unknown option '--colour'/);
  });

  it('prompts for each task when interactive, showing assignee, form and the data that matters', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    const answers = ['a', 'fine by me', 'a', '', 'r', 'AML concerns', 'maybe', 'r', 'compliance said no'];
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/(\[a\/r\] |comment \(optional\): )$/.test(text)) setImmediate(() => input.write(`${answers.shift() ?? ''}\n`));
    });
    const code = await runApprovalCli({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger, argv: [], interactive: true, input, output });
    expect(code).toBe(0);
    expect(answers).toEqual([]);
    expect(text).toContain('┌ legal_review: a task for legal_team');
    expect(text).toContain('│ assigned   compliance_team, acting as carlos');
    expect(text).toContain('│ form       (none: the seed gives the step no config)');
    expect(text).toContain('│ initial    approved by maria: fine by me');
    expect(text).toContain('│ compliance rejected by carlos: AML concerns');
    expect(text).toMatch(/DOC-2001 +☑ final_approval: refused by erin/);
    expect(text).toContain('  submit_document → initial_review → legal_review → compliance_review → final_approval\n');
    expect(text).toContain('ended as designed: final approval refused');
  });

  it('`npm run approval -- --auto` runs the built sample and prints the path taken', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-approval-cli-'));
    try {
      const main = path.join(import.meta.dirname, '..', 'dist', 'main.js');
      const env = { ...process.env, WM_DATA_DIR: directory, WM_DEMO_SPEED: '1000', NO_COLOR: '1' };
      const { stdout } = await run(process.execPath, [main, '--auto'], { env });
      expect(stdout).toContain('Workflow Mastery — document approval sample');
      expect(stdout).toMatch(/DOC-2001 +☐ legal_review: task opened for legal_team, due in 5d\nDOC-2001 +☐ compliance_review: task opened for compliance_team, due in 3d/);
      expect(stdout).toContain('Path taken (DOC-2001)\n  submit_document → initial_review → legal_review → compliance_review → final_approval → archive_document\nFinal state: COMPLETED');
      expect(stdout).toContain('ended as designed');

      const refused = await run(process.execPath, [main, '--auto', '--type', 'memo', '--value', '500', '--decide', 'final_approval=reject'], { env });
      expect(refused.stdout).toContain('submit_document → initial_review → legal_review(skipped) → compliance_review(skipped) → final_approval\nFinal state: FAILED (WF_NO_ROUTE)');

      await expect(run(process.execPath, [main, '--decide', 'nope=approve'], { env })).rejects.toMatchObject({ code: 2 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
