/** End-to-end: the seed's CI/CD pipeline workflow, every branch, on the real engine. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { ActionRegistry, ManualClock, MemoryStorage, parseDefinition, scaledClock, silentLogger, toMermaid } from '@workflow-mastery/core';
import { cicdPipelineWorkflow } from '../src/cicd-pipeline.workflow.js';
import { pipelineActions } from '../src/pipeline-actions.js';
import type { PipelineDemoOptions, PipelineOutcome } from '../src/pipeline-demo.js';
import { runPipelineDemo, scriptedDecisions } from '../src/pipeline-demo.js';
import { parsePipelineArgs, runPipelineCli } from '../src/pipeline-demo-cli.js';

const run = promisify(execFile);
const HOUR = 3_600_000;
const OLD = 'registry.example/acme/shop:1.41.0';

/** Run the demo on memory storage with time 1000× faster. */
const demo = (options: PipelineDemoOptions = {}) => runPipelineDemo({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000, ...options });

/** The path with the two parallel suites in a fixed order (they finish in either order). */
const normalized = (outcome: PipelineOutcome) => {
  const p = [...outcome.path];
  const i = p.findIndex((s) => s.startsWith('run_unit_tests') || s.startsWith('security_scan'));
  p.splice(i, 2, ...p.slice(i, i + 2).sort());
  return p;
};
const UNTIL_STAGING = ['checkout_code', 'run_unit_tests', 'security_scan', 'run_integration_tests', 'build_artifacts', 'deploy_staging', 'run_e2e_tests'];

describe('CI/CD pipeline sample', () => {
  it('ports the seed definition as it stands (only the group named)', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(pipelineActions);
    const def = parseDefinition(cicdPipelineWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) });
    expect(def.start).toBe('checkout_code');
    expect(def.groups).toEqual({ parallel_tests: ['run_unit_tests', 'security_scan'] });
    expect(Object.keys(def.steps)).toHaveLength(10);
    expect(def.source.steps.deploy_staging).toEqual({ action: 'deploy_staging', compensation: 'rollback_staging' });
    expect(def.source.steps.deploy_production).toEqual({ action: 'deploy_production', compensation: 'rollback_production' });
    expect(def.source.steps.approval_gate).toEqual({ action: 'request_release_approval', timeout: '24h', assigned_to: 'release_manager' });
    expect(def.source.transitions).toHaveLength(8);
    expect(def.source.transitions![1]).toEqual({ from: 'parallel_tests', to: 'run_integration_tests', join: 'all' });
    expect(def.onFailure).toBe('compensate_and_notify');
    expect(def.notificationChannels).toEqual(['slack', 'pagerduty']);
  });

  it('draws as a Mermaid flowchart: the parallel tests joined on all, the approval gate, both rollbacks', () => {
    const registry = new ActionRegistry();
    registry.registerClasses(pipelineActions);
    const def = parseDefinition(cicdPipelineWorkflow, { resolveActionName: (ref) => registry.nameOf(ref) });
    const lines = toMermaid(def, { direction: 'LR' }).split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(
      expect.arrayContaining([
        '  subgraph g_parallel_tests ["parallel_tests: parallel"]',
        '  s_checkout_code --> g_parallel_tests',
        '  g_parallel_tests -->|"join: all"| s_run_integration_tests',
        '  s_approval_gate(["approval_gate<br/>action: request_release_approval<br/>human task: release_manager"])',
        '  s_approval_gate -->|"approved === true"| s_deploy_production',
        '  c_deploy_staging("compensation: rollback_staging")',
        '  s_deploy_staging -.->|"undo"| c_deploy_staging',
        '  c_deploy_production("compensation: rollback_production")',
        '  s_deploy_production -.->|"undo"| c_deploy_production',
      ]),
    );
    expect(lines.filter((l) => /^ {2}s_\w+ -->/.test(l) || /^ {2}g_\w+ -->/.test(l))).toHaveLength(def.source.transitions!.length);
  });

  it('happy path: both parallel suites, approval granted, production deployed, smoke tests ok', async () => {
    const outcome = await demo();
    expect(outcome.instance.state).toBe('COMPLETED');
    expect(normalized(outcome)).toEqual([...UNTIL_STAGING, 'approval_gate', 'deploy_production', 'smoke_tests']);
    expect(outcome.asExpected).toBe(true);
    // Both suites were entered together, before either finished.
    const { run_unit_tests: unit, security_scan: scan } = outcome.instance.steps;
    expect(unit!.scheduledAt).toBe(scan!.scheduledAt);
    const data = outcome.instance.data;
    expect(data).toMatchObject({
      tests: { passed: true, failed: [], suites: { unit: true, security: true, integration: true, e2e: true } },
      approved: true,
      approval: { by: 'rita' },
      smoke: { passed: true },
    });
    expect(outcome.tasks).toEqual([expect.objectContaining({ stepId: 'approval_gate', assignedTo: 'release_manager', by: 'rita', outcome: 'completed' })]);
    const image = String((data.artifact as { image: string }).image);
    expect(outcome.services.staging.current).toBe(image);
    expect(outcome.services.production.current).toBe(image);
    expect(outcome.services.log).toEqual([`deploy staging ${image}`, `deploy production ${image}`]);
    expect(outcome.notified).toEqual([]);
  });

  it.each(['unit', 'security', 'integration'] as const)('%s fails: tests.passed false → no route after integration tests → FAILED, nothing to compensate', async (suite) => {
    const outcome = await demo({ fail: [suite] });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'WF_NO_ROUTE', details: { from: 'run_integration_tests', conditions: ['tests.passed === true'] } });
    // The join does not look at results: integration tests ran anyway, and the summary after them failed.
    expect(normalized(outcome)).toEqual(['checkout_code', 'run_unit_tests', 'security_scan', 'run_integration_tests']);
    expect(outcome.instance.data.tests).toEqual({ passed: false, failed: [suite], suites: { unit: suite !== 'unit', security: suite !== 'security', integration: suite !== 'integration' } });
    expect(outcome.instance.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    expect(outcome.services.log).toEqual([]);
    expect(outcome.asExpected).toBe(true);
  });

  it('e2e tests fail after the staging deploy: FAILED, rollback_staging ran', async () => {
    const outcome = await demo({ fail: ['e2e'] });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'WF_NO_ROUTE', details: { from: 'run_e2e_tests' } });
    expect(normalized(outcome)).toEqual([...UNTIL_STAGING, '↩rollback_staging']);
    expect(outcome.instance.steps.approval_gate).toBeUndefined();
    expect(outcome.services.staging.current).toBe(OLD);
    expect(outcome.services.log).toEqual([expect.stringMatching(/^deploy staging /), `rollback staging to ${OLD}`]);
    expect(outcome.asExpected).toBe(true);
  });

  it('approval denied: FAILED with WF_NO_ROUTE, staging rolled back, production untouched', async () => {
    const outcome = await demo({ decide: scriptedDecisions({ approval_gate: 'reject' }) });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'WF_NO_ROUTE', message: expect.stringContaining('No transition from "approval_gate" matched: tried `approved === true`') });
    expect(normalized(outcome)).toEqual([...UNTIL_STAGING, 'approval_gate', '↩rollback_staging']);
    expect(outcome.instance.data).toMatchObject({ approved: false, approval: { by: 'rita' } });
    expect(outcome.services.staging.current).toBe(OLD);
    expect(outcome.services.log.filter((l) => l.includes('production'))).toEqual([]);
    expect(outcome.asExpected).toBe(true);
  });

  it('approval gate overdue after 24h: FAILED with WF_TIMEOUT, staging rolled back', async () => {
    const clock = new ManualClock();
    let dueIn = 0;
    const outcome = await runPipelineDemo({
      storage: new MemoryStorage(),
      clock,
      logger: silentLogger,
      timeoutMs: 10_000,
      decide: (view) => {
        dueIn = view.task.dueAt! - clock.now();
        setImmediate(() => void clock.advance(24 * HOUR));
        return undefined;
      },
    });
    expect(dueIn).toBe(24 * HOUR);
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'approval_gate', message: expect.stringContaining('was not completed by its due time (24h)') });
    expect(normalized(outcome)).toEqual([...UNTIL_STAGING, 'approval_gate(failed)', '↩rollback_staging']);
    expect(outcome.instance.steps.approval_gate!.task!.state).toBe('EXPIRED');
    expect(outcome.tasks).toEqual([expect.objectContaining({ stepId: 'approval_gate', outcome: 'left open' })]);
    expect(outcome.services.staging.current).toBe(OLD);
    expect(outcome.asExpected).toBe(true);
  });

  it('smoke tests fail: rollback_production, then rollback_staging, in that order', async () => {
    const outcome = await demo({ fail: ['smoke'] });
    expect(outcome.instance.state).toBe('FAILED');
    expect(outcome.instance.error).toMatchObject({ code: 'SMOKE_TESTS_FAILED', stepId: 'smoke_tests' });
    expect(normalized(outcome)).toEqual([...UNTIL_STAGING, 'approval_gate', 'deploy_production', 'smoke_tests(failed)', '↩rollback_production', '↩rollback_staging']);
    expect(outcome.services.log).toEqual([
      expect.stringMatching(/^deploy staging /),
      expect.stringMatching(/^deploy production /),
      `rollback production to ${OLD}`,
      `rollback staging to ${OLD}`,
    ]);
    expect(outcome.services.production.current).toBe(OLD);
    expect(outcome.services.staging.current).toBe(OLD);
    expect(outcome.instance.compensation).toEqual({ status: 'COMPLETED', failed: [] });
    expect(outcome.asExpected).toBe(true);
  });

  it('notifies slack and pagerduty of a failure (after the rollback), and nobody of a success', async () => {
    const lines: string[] = [];
    const outcome = await demo({ fail: ['smoke'], write: (l) => lines.push(l) });
    expect(outcome.notified.sort()).toEqual(['pagerduty', 'slack']);
    const received = outcome.services.notifications;
    expect(received.map((r) => r.channel).sort()).toEqual(['pagerduty', 'slack']);
    for (const r of received) {
      expect(r.notification).toMatchObject({
        kind: 'workflow.failed',
        channel: r.channel,
        workflowId: outcome.instance.id,
        definitionName: 'cicd_pipeline',
        definitionVersion: '3.0',
        state: 'FAILED',
        error: { code: 'SMOKE_TESTS_FAILED', stepId: 'smoke_tests' },
        compensation: { status: 'COMPLETED', failed: [] },
      });
    }
    expect(lines.filter((l) => l.includes('📣'))).toHaveLength(2);
    expect(lines.findIndex((l) => l.includes('📣'))).toBeGreaterThan(lines.findIndex((l) => l.includes('undone by rollback_staging')));

    const noRoute = await demo({ fail: ['unit'] });
    expect(noRoute.services.notifications.map((r) => r.notification.error.code)).toEqual(['WF_NO_ROUTE', 'WF_NO_ROUTE']);
    expect((await demo()).services.notifications).toEqual([]);
  });

  it('parses its flags', () => {
    expect(parsePipelineArgs(['--fail', 'unit,e2e', '--fail', 'smoke', '--decide', 'approval_gate=reject', '--build', 'B-7', '--auto'])).toMatchObject({
      fail: ['unit', 'e2e', 'smoke'],
      approval: 'reject',
      build: { id: 'B-7', repo: 'acme/shop', branch: 'main' },
      auto: true,
    });
    expect(() => parsePipelineArgs(['--fail', 'lint'])).toThrow('"lint" is not a suite');
    expect(() => parsePipelineArgs(['--decide', 'deploy_production=approve'])).toThrow('not a human task step');
  });

  it('asks the release manager when interactive, showing the build, tests and staging', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    const answers = ['r', 'not on a Friday'];
    output.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (/(\[a\/r\] |comment \(optional\): )$/.test(text)) setImmediate(() => input.write(`${answers.shift() ?? ''}\n`));
    });
    const code = await runPipelineCli({ storage: new MemoryStorage(), clock: scaledClock(1000), logger: silentLogger, argv: [], interactive: true, input, output });
    expect(code).toBe(0);
    expect(text).toContain('┌ approval_gate: a task for release_manager');
    expect(text).toContain('│ assigned   release_manager, acting as rita');
    expect(text).toContain('│ tests      unit passed, security passed, integration passed, e2e passed');
    expect(text).toMatch(/│ staging    https:\/\/staging\.shop\.example runs registry\.example\/acme\/shop:[0-9a-f]{7} \(was registry\.example\/acme\/shop:1\.41\.0\)/);
    expect(text).toMatch(/B-1042 +↩ deploy_staging undone by rollback_staging/);
    expect(text).toContain('ended as designed: release not approved');
  });

  it('`npm run pipeline -- --auto` runs the built sample and prints the path taken', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'wm-pipeline-cli-'));
    try {
      const main = path.join(import.meta.dirname, '..', 'dist', 'main.js');
      const env = { ...process.env, WM_DATA_DIR: directory, WM_DEMO_SPEED: '1000', NO_COLOR: '1' };
      const { stdout } = await run(process.execPath, [main, '--auto'], { env });
      expect(stdout).toContain('Workflow Mastery — CI/CD pipeline sample');
      expect(stdout).toMatch(/Path taken \(B-1042\)\n {2}checkout_code → (run_unit_tests → security_scan|security_scan → run_unit_tests) → run_integration_tests → build_artifacts → deploy_staging → run_e2e_tests → approval_gate → deploy_production → smoke_tests\nFinal state: COMPLETED/);
      expect(stdout).toContain('ended as designed');

      const smoke = await run(process.execPath, [main, '--auto', '--fail', 'smoke'], { env });
      expect(smoke.stdout).toContain('smoke_tests(failed) → ↩rollback_production → ↩rollback_staging\nFinal state: FAILED (rollback completed)');
      expect(smoke.stdout).toMatch(/B-1042 +📣 pagerduty: incident opened: cicd_pipeline/);

      await expect(run(process.execPath, [main, '--fail', 'lint'], { env })).rejects.toMatchObject({ code: 2 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
