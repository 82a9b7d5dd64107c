/** replayHistory on the CI/CD pipeline: parallel suites, rollbacks, the 24h gate; a changed gate condition is reported. */
import { describe, expect, it } from '@jest/globals';
import { ManualClock, MemoryStorage, replayHistory, scaledClock, silentLogger } from '@workflow-mastery/core';
import type { WorkflowDefinitionInput } from '@workflow-mastery/core';
import { expectEveryHistoryReplays, recordedRuns } from '../../sample-kit/test/replay-histories.js';
import { cicdPipelineWorkflow } from '../src/cicd-pipeline.workflow.js';
import type { PipelineDemoOptions } from '../src/pipeline-demo.js';
import { runPipelineDemo, scriptedDecisions } from '../src/pipeline-demo.js';

const HOUR = 3_600_000;

describe('CI/CD pipeline: replaying recorded histories', () => {
  it('every branch (released; failed suites; e2e, approval and smoke failures with their rollbacks) replays, from the engine and as JSON', async () => {
    const storage = new MemoryStorage();
    const demo = (options: PipelineDemoOptions = {}) => runPipelineDemo({ storage, clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000, ...options });
    await demo();
    await demo({ fail: ['unit'] });
    await demo({ fail: ['e2e'] });
    await demo({ decide: scriptedDecisions({ approval_gate: 'reject' }) });
    await demo({ fail: ['smoke'] });
    const states = await expectEveryHistoryReplays(storage, cicdPipelineWorkflow);
    expect(states.sort()).toEqual(['COMPLETED', 'FAILED', 'FAILED', 'FAILED', 'FAILED']);
  });

  it('on a manual clock: the approval gate left open 24h fails the run and rolls staging back', async () => {
    const storage = new MemoryStorage();
    const clock = new ManualClock();
    const outcome = await runPipelineDemo({
      storage,
      clock,
      logger: silentLogger,
      timeoutMs: 10_000,
      decide: () => {
        setImmediate(() => void clock.advance(24 * HOUR));
        return undefined;
      },
    });
    expect(outcome.instance.error).toMatchObject({ code: 'WF_TIMEOUT', stepId: 'approval_gate' });
    const [run] = await recordedRuns(storage);
    expect(run!.history.map((e) => e.type)).toEqual(expect.arrayContaining(['task.expired', 'compensation.step_completed']));
    expect(await expectEveryHistoryReplays(storage, cicdPipelineWorkflow)).toEqual(['FAILED']);
  });

  it('version 3.1 releases only on a senior approval: the released run diverges at the gate', async () => {
    const storage = new MemoryStorage();
    await runPipelineDemo({ storage, clock: scaledClock(1000), logger: silentLogger, timeoutMs: 10_000 });
    const [run] = await recordedRuns(storage);
    const senior = {
      ...cicdPipelineWorkflow,
      version: '3.1',
      transitions: cicdPipelineWorkflow.transitions.map((t) => (t.from === 'approval_gate' ? { ...t, condition: 'approved === true && approval.senior === true' } : t)),
    } as WorkflowDefinitionInput;
    const result = replayHistory(run!.history, senior);
    expect(!result.valid && result.divergence).toMatchObject({ stepId: 'deploy_production', event: { type: 'step.scheduled', stepId: 'deploy_production' } });
    expect(!result.valid && result.divergence.reason).toMatch(/^transition changed: after approval_gate the recorded run went to deploy_production, the definition fails the workflow \(No transition from "approval_gate" matched/);
  });
});
