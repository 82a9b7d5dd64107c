import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { EngineInstrumentation } from './instrumentation.js';
import { WorkflowEngine } from './workflow-engine.js';

describe('correlation ids and instrumentation hooks', () => {
  it('stores the correlation id given to start (else the instance id), hands it to actions and their logger, and children inherit it', async () => {
    const bound: object[] = [];
    const logger: Logger = { ...silentLogger, child: (b) => (bound.push(b), silentLogger) };
    const storage = new MemoryStorage();
    const engine = new WorkflowEngine({ storage, logger });
    const seen: string[] = [];
    engine.registerAction('note', (ctx) => {
      seen.push(`${ctx.definitionName}:${ctx.correlationId}`);
      ctx.logger.info({}, 'hello');
      return {};
    });
    engine.registerAction('spawn', () => ActionResult.startChild({ workflow: 'child' }));
    engine.registerDefinition({ name: 'child', steps: { n: { action: 'note' } } });
    engine.registerDefinition({ name: 'parent', steps: { n: { action: 'note' }, s: { action: 'spawn' } }, transitions: [{ from: 'n', to: 's' }] });

    const given = await engine.start('parent', {}, { correlationId: 'req-42' });
    expect(given.correlationId).toBe('req-42');
    await engine.waitFor(given.id, { until: 'terminal' });
    expect((await storage.getInstance(given.id))!.correlationId).toBe('req-42');
    const child = (await engine.listInstances({ definitionName: 'child' })).items[0]!;
    expect(child.correlationId).toBe('req-42');
    expect(seen).toEqual(['parent:req-42', 'child:req-42']);
    expect(bound).toContainEqual(expect.objectContaining({ workflowId: given.id, stepId: 'n', attempt: 1, correlationId: 'req-42' }));

    const plain = await engine.start('child', {});
    expect(plain.correlationId).toBe(plain.id);
    await engine.close();
  });

  it('stores what onStart returns as the trace context and wraps every attempt with aroundAttempt; a throwing onStart is ignored', async () => {
    const attempts: string[] = [];
    let throwOnStart = false;
    const instrumentation: EngineInstrumentation = {
      onStart: (info) => {
        if (throwOnStart) throw new Error('tracer down');
        return { traceparent: `00-${info.instanceId.replace(/-/g, '').padEnd(32, '0').slice(0, 32)}-00f067aa0ba902b7-01` };
      },
      aroundAttempt: async (info, run) => {
        attempts.push(`${info.stepId}#${info.attempt}:${info.traceContext?.traceparent ? 'traced' : 'untraced'}`);
        return run();
      },
    };
    const warnings: string[] = [];
    const engine = new WorkflowEngine({ storage: new MemoryStorage(), logger: { ...silentLogger, warn: (_o, msg) => void warnings.push(msg ?? '') }, instrumentation });
    engine.registerAction('ok', () => ({}));
    engine.registerDefinition({ name: 'flow', steps: { a: { action: 'ok' }, b: { action: 'ok' } }, transitions: [{ from: 'a', to: 'b' }] });
    const inst = await engine.start('flow', {});
    expect(inst.traceContext?.traceparent).toMatch(/^00-/);
    await engine.waitFor(inst.id, { until: 'terminal' });
    expect(attempts).toEqual(['a#1:traced', 'b#1:traced']);

    throwOnStart = true;
    const untraced = await engine.start('flow', {});
    expect(untraced.traceContext).toBeUndefined();
    await engine.waitFor(untraced.id, { until: 'terminal' });
    expect(warnings).toContain('instrumentation hook threw; ignored');
    await engine.close();
  });
});
