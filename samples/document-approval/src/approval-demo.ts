/** Runs one document through the approval workflow, its human tasks decided by a {@link Decider}. */
import { randomUUID } from 'node:crypto';
import { ErrorCode, formatDuration, WorkflowEngine } from '@workflow-mastery/core';
import type { InstanceRecord, JsonObject, WorkflowEngineOptions } from '@workflow-mastery/core';
import { DemoServices } from './demo-services.js';
import type { DocumentInput } from './document-actions.js';
import { documentActions, documentProblems } from './document-actions.js';
import type { ApprovalTaskStep } from './document-approval.workflow.js';
import { documentApprovalWorkflow } from './document-approval.workflow.js';
import { reportProgress, verdict } from '@workflow-mastery/sample-kit';
import type { Decider, HandledTask, TaskDecision, TaskView } from '@workflow-mastery/sample-kit';
import { driveTasks } from '@workflow-mastery/sample-kit';

/** The people acting for each role the workflow assigns tasks to. */
export const approvers: Record<string, string> = {
  manager_role: 'maria',
  legal_team: 'lena',
  compliance_team: 'carlos',
  executive_role: 'erin',
};

/** The document `npm run approval` submits unless told otherwise: a large contract (both reviews). */
export const defaultDocument: DocumentInput = {
  id: 'DOC-2001',
  title: 'Master services agreement with Acme Corp',
  type: 'contract',
  value: 250_000,
  author: 'dana',
};

/** What a decision on each task writes into the instance data (the seed's conditions read it). */
export function decisionData(stepId: string, decision: TaskDecision, by: string): JsonObject {
  const note = { by, ...(decision.comment ? { comment: decision.comment } : {}) };
  switch (stepId as ApprovalTaskStep) {
    case 'initial_review':
      return { review: { approved: decision.approve, ...note } };
    case 'legal_review':
      return { legal: { approved: decision.approve, ...note } };
    case 'compliance_review':
      return { compliance: { approved: decision.approve, ...note } };
    case 'final_approval':
      return { approval: { granted: decision.approve, ...note } };
    default:
      throw new Error(`no task decision defined for step "${stepId}"`);
  }
}

/** The data path each task's decision sets, for prompts. */
export const decisionPaths: Record<ApprovalTaskStep, string> = {
  initial_review: 'review.approved',
  legal_review: 'legal.approved',
  compliance_review: 'compliance.approved',
  final_approval: 'approval.granted',
};

/** A scripted decision: approve, reject, or leave the task open (it becomes overdue). */
export type ScriptedDecision = 'approve' | 'reject' | 'leave';

/**
 * Decides from a script. Unscripted tasks are approved, except the final approval, which follows
 * the reviewers: it is refused when a review was rejected.
 */
export function scriptedDecisions(script: Partial<Record<ApprovalTaskStep, ScriptedDecision>> = {}): Decider {
  return ({ task, instance }) => {
    const scripted = script[task.stepId as ApprovalTaskStep];
    if (scripted === 'leave') return undefined;
    if (scripted) return { approve: scripted === 'approve', comment: `${scripted === 'approve' ? 'approved' : 'rejected'} (scripted)` };
    if (task.stepId === 'final_approval') {
      const rejectedBy = reviewsOf(instance.data).filter((r) => r.verdict === 'rejected');
      if (rejectedBy.length) return { approve: false, comment: `follows the ${rejectedBy.map((r) => r.name).join(' and ')}` };
    }
    return { approve: true };
  };
}

/** How the run should end given the decisions in the instance data. */
export interface Expectation {
  state: 'COMPLETED' | 'FAILED';
  /** Last step of the path when COMPLETED. */
  lastStep?: string;
  /** Error code when FAILED. */
  errorCode?: string;
  because: string;
}

/** The ending the seed's definition implies for the decisions recorded in `data`. */
export function expectedOutcome(data: JsonObject): Expectation {
  const problems = documentProblems(data.document as Partial<DocumentInput> | undefined);
  if (problems.length) return { state: 'FAILED', errorCode: 'INVALID_DOCUMENT', because: `invalid document (${problems.join('; ')}) → submit_document fails` };
  const review = data.review as JsonObject | undefined;
  const approval = data.approval as JsonObject | undefined;
  if (review?.approved === false) return { state: 'COMPLETED', lastStep: 'reject_document', because: 'rejected at initial review → reject_document' };
  if (review?.approved !== true) return { state: 'FAILED', errorCode: ErrorCode.Timeout, because: 'initial review never decided → overdue' };
  if (approval?.granted === false) {
    return { state: 'FAILED', errorCode: ErrorCode.NoRoute, because: 'final approval refused: the seed has no route for approval.granted === false' };
  }
  if (approval?.granted !== true) return { state: 'FAILED', errorCode: ErrorCode.Timeout, because: 'a review or the final approval was never decided → overdue' };
  return { state: 'COMPLETED', lastStep: 'archive_document', because: 'approved → archive_document' };
}

/** True when `instance` ended as `expected` says. */
export function endedAsExpected(instance: InstanceRecord, path: string[], expected: Expectation): boolean {
  if (instance.state !== expected.state) return false;
  if (expected.errorCode !== undefined && instance.error?.code !== expected.errorCode) return false;
  if (expected.lastStep !== undefined && path[path.length - 1] !== expected.lastStep) return false;
  return true;
}

/** Options of {@link createApprovalEngine}. */
export type ApprovalEngineOptions = Pick<WorkflowEngineOptions, 'storage' | 'clock' | 'logger'>;

/** An engine with the sample's actions (on fresh demo services) and definition registered. */
export function createApprovalEngine(options: ApprovalEngineOptions = {}): { engine: WorkflowEngine; services: DemoServices } {
  const services = new DemoServices(options.clock);
  const engine = new WorkflowEngine({
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  engine.registerActions(documentActions, (cls) => new cls(services));
  engine.registerDefinition(documentApprovalWorkflow);
  return { engine, services };
}

/** Options of {@link runApprovalDemo}. */
export interface ApprovalDemoOptions extends ApprovalEngineOptions {
  /** @defaultValue {@link defaultDocument} */
  document?: DocumentInput;
  /** @defaultValue {@link scriptedDecisions}() */
  decide?: Decider;
  /** Where progress lines go. @defaultValue none */
  write?: (line: string) => void;
  /** Real milliseconds to wait for the instance to settle or move on. @defaultValue 120000 */
  timeoutMs?: number;
  /** Finish an instance an interrupted earlier run left unfinished instead of starting one. @defaultValue true */
  resume?: boolean;
}

/** Result of {@link runApprovalDemo}. */
export interface ApprovalOutcome {
  instance: InstanceRecord;
  /** Steps as they ended, in order: `submit_document`, `legal_review(skipped)`, `initial_review(failed)`... */
  path: string[];
  tasks: HandledTask[];
  expected: Expectation;
  asExpected: boolean;
  /** True when an unfinished instance of an earlier run was finished instead of a new one. */
  resumed: boolean;
  services: DemoServices;
}

/** Submit the document and drive its tasks to the end. */
export async function runApprovalDemo(options: ApprovalDemoOptions = {}): Promise<ApprovalOutcome> {
  const { engine, services } = createApprovalEngine(options);
  const labels = new Map<string, string>();
  const write = options.write ?? (() => undefined);
  const stop = reportProgress(engine, write, (id) => labels.get(id) ?? id.slice(0, 8));
  try {
    await engine.ready;
    const leftover =
      options.resume === false
        ? []
        : (await engine.listInstances({ definitionName: documentApprovalWorkflow.name, state: ['RUNNING', 'WAITING', 'PAUSED'], order: 'desc', limit: 1 })).items;
    let id: string;
    if (leftover[0]) {
      id = leftover[0].id;
      labels.set(id, `${documentLabel(leftover[0].data)}*`);
      write(`resuming ${labels.get(id)} left unfinished by an earlier run (its document is kept)`);
    } else {
      const document = options.document ?? defaultDocument;
      // Named before it starts, so that its first progress line already carries the document id.
      id = randomUUID();
      labels.set(id, document.id);
      await engine.start(documentApprovalWorkflow.name, { document: document as unknown as JsonObject }, { startedBy: document.author, instanceId: id });
    }
    const { instance, tasks } = await driveTasks(engine, id, {
      decide: options.decide ?? scriptedDecisions(),
      users: approvers,
      toData: decisionData,
      write,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    await engine.idle();
    const path = await pathOf(engine, id);
    const expected = expectedOutcome(instance.data);
    return { instance, path, tasks, expected, asExpected: endedAsExpected(instance, path, expected), resumed: Boolean(leftover[0]), services };
  } finally {
    stop();
    await engine.close();
  }
}

/** The label of an instance: its document id. */
export function documentLabel(data: JsonObject): string {
  return String((data.document as JsonObject | undefined)?.id ?? 'document');
}

/** The verdict of each parallel review recorded in `data` (skipped reviews are absent). */
export function reviewsOf(data: JsonObject): Array<{ name: string; verdict: string; by?: string; comment?: string }> {
  return (['legal', 'compliance'] as const).flatMap((name) => {
    const r = data[name] as JsonObject | undefined;
    if (!r) return [];
    return [{ name, verdict: verdict({ r }), ...(r.by ? { by: String(r.by) } : {}), ...(r.comment ? { comment: String(r.comment) } : {}) }];
  });
}

/** What a person deciding `view.task` should see: the document and what was decided so far. */
export function taskDetails(view: TaskView, now: number): string[] {
  const { task, instance } = view;
  const data = instance.data;
  const doc = (data.document ?? {}) as JsonObject;
  const review = data.review as JsonObject | undefined;
  const lines = [
    `task       ${task.stepId} (${task.id})`,
    `assigned   ${task.assignedTo}, acting as ${view.user}`,
    ...(task.dueAt !== undefined ? [`due        in ${formatDuration(Math.max(0, task.dueAt - now))} (${new Date(task.dueAt).toISOString()})`] : []),
    `form       ${Object.keys(task.form).length ? JSON.stringify(task.form) : '(none: the seed gives the step no config)'}`,
    `document   ${String(doc.id)} "${String(doc.title)}": ${String(doc.type)}, value ${Number(doc.value).toLocaleString('en-US')}, by ${String(doc.author)}`,
  ];
  if (task.stepId !== 'initial_review' && review) {
    lines.push(`initial    ${review.approved ? 'approved' : 'rejected'} by ${String(review.by)}${review.comment ? `: ${String(review.comment)}` : ''}`);
  }
  if (task.stepId === 'final_approval') {
    for (const name of ['legal', 'compliance'] as const) {
      const r = reviewsOf(data).find((x) => x.name === name);
      lines.push(`${name.padEnd(10)} ${r ? `${r.verdict} by ${r.by}${r.comment ? `: ${r.comment}` : ''}` : 'skipped (guard did not hold)'}`);
    }
  }
  const path = decisionPaths[task.stepId as ApprovalTaskStep];
  if (path) lines.push(`decision   sets ${path} (true to approve, false to reject)`);
  return lines;
}

/** The steps in the order they ended, with marks: `(skipped)`, `(failed)`, `(cancelled)`, `↩compensation`. */
export async function pathOf(engine: WorkflowEngine, id: string): Promise<string[]> {
  const history = await engine.getHistory(id);
  return history.flatMap((e) => {
    if (e.type === 'step.completed') return [e.stepId!];
    if (e.type === 'step.skipped') return [`${e.stepId}(skipped)`];
    if (e.type === 'step.failed') return [`${e.stepId}(failed)`];
    if (e.type === 'step.cancelled') return [`${e.stepId}(cancelled)`];
    if (e.type === 'compensation.step_completed') return [`↩${String(e.data?.action)}`];
    return [];
  });
}
