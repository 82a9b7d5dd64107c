/**
 * The CI/CD pipeline's 24-hour approval gate, tested with @workflow-mastery/testing: a release
 * nobody approves is rolled back a day later, one approved in time reaches production, in
 * milliseconds of wall time.
 */
import { describe, expect, it } from '@jest/globals';
import { createChannel, Notifier } from '@workflow-mastery/core';
import { createTestEngine } from '@workflow-mastery/testing/jest';
import { cicdPipelineWorkflow } from '../src/cicd-pipeline.workflow.js';
import { DemoServices } from '../src/demo-services.js';
import { pipelineActions } from '../src/pipeline-actions.js';

const H = 3_600_000;
const build = { id: 'B-42', repo: 'acme/shop', branch: 'main', requested_by: 'dev' };
const upToGate = ['checkout_code', 'run_unit_tests', 'security_scan', 'run_integration_tests', 'build_artifacts', 'deploy_staging', 'run_e2e_tests'];

function pipeline() {
  let services: DemoServices | undefined;
  const notifier = new Notifier(['slack', 'pagerduty'].map((channel) => createChannel(channel, (n) => services!.receive({ channel, notification: n, text: n.error.message }))));
  const t = createTestEngine({ definitions: [cicdPipelineWorkflow], actions: pipelineActions, actionFactory: (cls) => new cls(services!), engine: { notifier } });
  services = new DemoServices(t.clock);
  return { t, services };
}

describe('CI/CD pipeline: the 24-hour approval gate with the test kit', () => {
  it('a release nobody approves within 24 hours fails, rolls staging back and pages', async () => {
    const { t, services } = pipeline();
    const t0 = t.now();
    const run = await t.start('cicd_pipeline', { build });
    expect(run).toHaveState('WAITING');
    expect(run.steps.approval_gate!.task).toMatchObject({ state: 'OPEN', assignedTo: 'release_manager', dueAt: t0 + 24 * H });
    const staged = services.staging.current;

    await t.advance('23h59m');
    expect(await t.instance(run.id)).toHaveState('WAITING');
    await t.advance('1m');
    const expired = await t.instance(run.id);
    expect(expired).toHaveFailedWith('WF_TIMEOUT');
    expect(expired).toHaveTakenPath([...upToGate, 'approval_gate(failed)', '↩rollback_staging']);
    expect(expired).toHaveHistoryEvent('task.expired', { stepId: 'approval_gate' });
    expect(expired.completedAt! - t0).toBe(24 * H);
    expect(services.staging.current).not.toBe(staged);
    expect(services.log.at(-1)).toMatch(/^rollback staging to /);
    expect(services.notifications.map((n) => n.channel).sort()).toEqual(['pagerduty', 'slack']);
  });

  it('approved an hour before the gate closes: deployed to production', async () => {
    const { t, services } = pipeline();
    const run = await t.start('cicd_pipeline', { build });
    await t.advance('23h');
    const released = await t.completeTask(run.id, 'approval_gate', { approved: true }, 'rita');
    expect(released).toHaveState('COMPLETED');
    expect(released).toHaveTakenPath([...upToGate, 'approval_gate', 'deploy_production', 'smoke_tests']);
    expect(services.production.current).toBe(services.staging.current);
    await t.advance('2d'); // the expired gate's timer is gone: nothing else happens
    expect(await t.instance(run.id)).toHaveState('COMPLETED');
    expect(t.clock.pending).toBe(0);
  });
});
