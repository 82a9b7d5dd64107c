/** Runs one build through the CI/CD pipeline, its approval gate decided by a {@link Decider}. */
import { randomUUID } from 'node:crypto';
import { createChannel, ErrorCode, formatDuration, Notifier, WorkflowEngine } from '@workflow-mastery/core';
import type { InstanceRecord, JsonObject, WorkflowEngineOptions, WorkflowNotification } from '@workflow-mastery/core';
import { cicdPipelineWorkflow } from './cicd-pipeline.workflow.js';
import type { ReceivedNotification } from './demo-services.js';
import { DemoServices } from './demo-services.js';
import type { BuildRequest, FailableSuite, PipelineInput } from './pipeline-actions.js';
import { pipelineActions } from './pipeline-actions.js';
import { reportProgress } from '@workflow-mastery/sample-kit';
import type { Decider, HandledTask, TaskDecision, TaskView } from '@workflow-mastery/sample-kit';
import { driveTasks } from '@workflow-mastery/sample-kit';

/** The people acting for each role the workflow assigns tasks to. */
export const approvers: Record<string, string> = { release_manager: 'rita' };

/** The channels the seed notifies on failure. */
export const failureChannels = cicdPipelineWorkflow.error_handling.notification_channels;

/** The build `npm run pipeline` runs unless told otherwise. */
export const defaultBuild: BuildRequest = { id: 'B-1042', repo: 'acme/shop', branch: 'main', requested_by: 'devon' };

/** What the release manager's decision writes: `approved` is what the seed's condition reads. */
export function decisionData(stepId: string, decision: TaskDecision, by: string): JsonObject {
  if (stepId !== 'approval_gate') throw new Error(`no task decision defined for step "${stepId}"`);
  return { approved: decision.approve, approval: { by, ...(decision.comment ? { comment: decision.comment } : {}) } };
}

/** A scripted decision: approve, reject, or leave the task open (it becomes overdue). */
export type ScriptedDecision = 'approve' | 'reject' | 'leave';

/** Decides the approval gate from a script; approves unless told otherwise. */
export function scriptedDecisions(script: { approval_gate?: ScriptedDecision } = {}): Decider {
  return ({ task }) => {
    const scripted = task.stepId === 'approval_gate' ? script.approval_gate : undefined;
    if (scripted === 'leave') return undefined;
    if (scripted) return { approve: scripted === 'approve', comment: `${scripted === 'approve' ? 'approved' : 'rejected'} (scripted)` };
    return { approve: true };
  };
}

/** How the run should end given its start data and the decision in its data. */
export interface Expectation {
  state: 'COMPLETED' | 'FAILED';
  /** Error code when FAILED. */
  errorCode?: string;
  /** Compensations, in the order they must run. */
  compensations: string[];
  because: string;
}

/** The ending the seed's definition implies for the scripted failures and the approval in `data`. */
export function expectedOutcome(data: JsonObject): Expectation {
  const fail = new Set(((data.simulate as JsonObject | undefined)?.fail as string[] | undefined) ?? []);
  const early = ['unit', 'security', 'integration'].filter((s) => fail.has(s));
  if (early.length) {
    return { state: 'FAILED', errorCode: ErrorCode.NoRoute, compensations: [], because: `${early.join(', ')} failed → tests.passed false, no route from run_integration_tests; nothing deployed, nothing to roll back` };
  }
  if (fail.has('e2e')) return { state: 'FAILED', errorCode: ErrorCode.NoRoute, compensations: ['rollback_staging'], because: 'e2e tests failed → no route; staging rolled back' };
  if (data.approved === false) return { state: 'FAILED', errorCode: ErrorCode.NoRoute, compensations: ['rollback_staging'], because: 'release not approved → no route; staging rolled back' };
  if (data.approved !== true) return { state: 'FAILED', errorCode: ErrorCode.Timeout, compensations: ['rollback_staging'], because: 'approval not given within 24h → overdue; staging rolled back' };
  if (fail.has('smoke')) {
    return { state: 'FAILED', errorCode: 'SMOKE_TESTS_FAILED', compensations: ['rollback_production', 'rollback_staging'], because: 'smoke tests failed → production, then staging rolled back' };
  }
  return { state: 'COMPLETED', compensations: [], because: 'tests green, release approved, production deployed, smoke tests ok' };
}

/** True when the run ended as `expected` says (a failure also notified every failure channel). */
export function endedAsExpected(instance: InstanceRecord, path: string[], notified: string[], expected: Expectation): boolean {
  if (instance.state !== expected.state) return false;
  if (expected.errorCode !== undefined && instance.error?.code !== expected.errorCode) return false;
  const compensations = path.filter((p) => p.startsWith('↩')).map((p) => p.slice(1));
  if (JSON.stringify(compensations) !== JSON.stringify(expected.compensations)) return false;
  if (expected.state === 'COMPLETED') return path[path.length - 1] === 'smoke_tests' && notified.length === 0;
  return failureChannels.every((c) => notified.includes(c));
}

/** Options of {@link createPipelineEngine}. */
export type PipelineEngineOptions = Pick<WorkflowEngineOptions, 'storage' | 'clock' | 'logger'>;

/**
 * An engine with the sample's actions (on fresh demo services) and definition registered, and a
 * notifier whose `slack` and `pagerduty` channels hand notifications to the demo services.
 */
export function createPipelineEngine(options: PipelineEngineOptions = {}): { engine: WorkflowEngine; services: DemoServices } {
  const services = new DemoServices(options.clock);
  const notifier = new Notifier([
    createChannel('slack', (n) => services.receive({ channel: 'slack', notification: n, text: `#releases: ${summary(n)}` })),
    createChannel('pagerduty', (n) => services.receive({ channel: 'pagerduty', notification: n, text: `incident opened: ${summary(n)}` })),
  ]);
  const engine = new WorkflowEngine({
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    notifier,
  });
  engine.registerActions(pipelineActions, (cls) => new cls(services));
  engine.registerDefinition(cicdPipelineWorkflow);
  return { engine, services };
}

/** One line about a failed run, as the demo channels post it. */
function summary(n: WorkflowNotification): string {
  const saga = n.compensation ? `; rollback ${n.compensation.status.toLowerCase()}${n.compensation.failed.length ? ` (failed: ${n.compensation.failed.join(', ')})` : ''}` : '';
  return `${n.definitionName} ${n.workflowId.slice(0, 8)} failed${n.error.stepId ? ` at ${n.error.stepId}` : ''}: ${n.error.code ? `${n.error.code} ` : ''}${n.error.message.split(';')[0]}${saga}`;
}

/** Options of {@link runPipelineDemo}. */
export interface PipelineDemoOptions extends PipelineEngineOptions {
  /** @defaultValue {@link defaultBuild} */
  build?: BuildRequest;
  /** Suites made to fail. */
  fail?: FailableSuite[];
  /** @defaultValue {@link scriptedDecisions}() */
  decide?: Decider;
  /** Where progress lines go. @defaultValue none */
  write?: (line: string) => void;
  /** Real milliseconds to wait for the instance to settle or move on. @defaultValue 120000 */
  timeoutMs?: number;
  /** Finish an instance an interrupted earlier run left unfinished instead of starting one. @defaultValue true */
  resume?: boolean;
}

/** Result of {@link runPipelineDemo}. */
export interface PipelineOutcome {
  instance: InstanceRecord;
  /** Steps as they ended, in order, with marks: `run_e2e_tests`, `smoke_tests(failed)`, `↩rollback_staging`... */
  path: string[];
  tasks: HandledTask[];
  /** Channels notified of this run's failure. */
  notified: string[];
  expected: Expectation;
  asExpected: boolean;
  resumed: boolean;
  services: DemoServices;
}

/** Run the build through the pipeline and drive its approval gate to the end. */
export async function runPipelineDemo(options: PipelineDemoOptions = {}): Promise<PipelineOutcome> {
  const { engine, services } = createPipelineEngine(options);
  const labels = new Map<string, string>();
  const label = (id: string) => labels.get(id) ?? id.slice(0, 8);
  const write = options.write ?? (() => undefined);
  const stop = reportProgress(engine, write, label);
  services.onNotification = (r) => write(`${label(r.notification.workflowId).padEnd(8)} 📣 ${r.channel}: ${r.text}`);
  try {
    await engine.ready;
    const leftover =
      options.resume === false
        ? []
        : (await engine.listInstances({ definitionName: cicdPipelineWorkflow.name, state: ['RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING'], order: 'desc', limit: 1 })).items;
    let id: string;
    if (leftover[0]) {
      id = leftover[0].id;
      labels.set(id, `${buildLabel(leftover[0].data)}*`);
      write(`resuming ${label(id)} left unfinished by an earlier run (its build is kept)`);
    } else {
      const build = options.build ?? defaultBuild;
      const input: PipelineInput = { build, ...(options.fail?.length ? { simulate: { fail: options.fail } } : {}) };
      // Named before it starts, so that its first progress line already carries the build id.
      id = randomUUID();
      labels.set(id, build.id);
      await engine.start(cicdPipelineWorkflow.name, input as unknown as JsonObject, { startedBy: build.requested_by, instanceId: id });
    }
    const { instance, tasks } = await driveTasks(engine, id, {
      decide: options.decide ?? scriptedDecisions(),
      users: approvers,
      toData: decisionData,
      write,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    // Failure notifications are sent after the failure is recorded: give the channels a moment.
    if (instance.state === 'FAILED') await services.notified(id, failureChannels);
    await engine.idle();
    const path = await pathOf(engine, id);
    const notified = [...new Set(services.notifications.filter((n) => n.notification.workflowId === id).map((n) => n.channel))];
    const expected = expectedOutcome(instance.data);
    return { instance, path, tasks, notified, expected, asExpected: endedAsExpected(instance, path, notified, expected), resumed: Boolean(leftover[0]), services };
  } finally {
    stop();
    await engine.close();
  }
}

/** The label of an instance: its build id. */
export function buildLabel(data: JsonObject): string {
  return String((data.build as JsonObject | undefined)?.id ?? 'build');
}

/** What the release manager should see: the commit, the tests, what runs where. */
export function taskDetails(view: TaskView, now: number): string[] {
  const { task, instance } = view;
  const data = instance.data;
  const commit = (data.commit ?? {}) as JsonObject;
  const tests = (data.tests ?? {}) as JsonObject;
  const staging = (data.staging ?? {}) as JsonObject;
  const suites = Object.entries((tests.suites ?? {}) as JsonObject)
    .map(([suite, passed]) => `${suite} ${passed ? 'passed' : 'FAILED'}`)
    .join(', ');
  return [
    `task       ${task.stepId} (${task.id})`,
    `assigned   ${task.assignedTo}, acting as ${view.user}`,
    ...(task.dueAt !== undefined ? [`due        in ${formatDuration(Math.max(0, task.dueAt - now))} (${new Date(task.dueAt).toISOString()})`] : []),
    `form       ${Object.keys(task.form).length ? JSON.stringify(task.form) : '(none: the seed gives the step no config)'}`,
    `build      ${buildLabel(data)}: ${String(commit.repo)}@${String(commit.branch)} ${String(commit.short)}`,
    `artifact   ${String((data.artifact as JsonObject | undefined)?.image)}`,
    `tests      ${suites || 'none'}`,
    `staging    ${String(staging.url)} runs ${String(staging.version)} (was ${String(staging.previous)})`,
    `decision   sets approved (true to release to production, false to stop and roll staging back)`,
  ];
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

export type { ReceivedNotification };
