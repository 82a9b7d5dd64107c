import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Scope } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test, type TestingModule } from '@nestjs/testing';
import { silentLogger, type Logger, type WorkflowEvent } from '@workflow-mastery/core';
import { InvalidWorkflowProviderError, OnWorkflowEvent, WorkflowModule, WorkflowService } from '../src/index.js';
import { orderProviders, orderWorkflow, pingWorkflow } from './fixtures.js';

const apps: TestingModule[] = [];

async function boot(metadata: Parameters<typeof Test.createTestingModule>[0]): Promise<TestingModule> {
  const app = await Test.createTestingModule(metadata).compile();
  apps.push(app);
  await app.init();
  return app;
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

/** Runs `order` to its end and returns the instance id. */
async function runOrder(app: TestingModule): Promise<string> {
  const workflows = app.get(WorkflowService);
  const inst = await workflows.start('order', { order: { total: 10 } });
  await workflows.waitFor(inst.id, { until: 'terminal' });
  return inst.id;
}

@Injectable()
class StepAudit {
  readonly steps: string[] = [];
  readonly all: string[] = [];
  readonly finished: string[] = [];

  @OnWorkflowEvent('step.completed')
  onStep(event: WorkflowEvent) {
    this.steps.push(event.stepId!);
  }

  @OnWorkflowEvent('*')
  onAny(event: WorkflowEvent) {
    this.all.push(event.type);
  }

  @OnWorkflowEvent(['workflow.completed', 'workflow.failed'], { definition: 'ping' })
  async onPingFinished(event: WorkflowEvent) {
    this.finished.push(`${event.definitionName}:${event.type}`);
  }
}

@Injectable()
class BridgeListener {
  readonly received: WorkflowEvent[] = [];

  @OnEvent('workflow.completed')
  completed(event: WorkflowEvent) {
    this.received.push(event);
  }

  @OnEvent('wm.step.completed')
  prefixed(event: WorkflowEvent) {
    this.received.push(event);
  }
}

describe('@OnWorkflowEvent', () => {
  it('calls decorated provider methods with engine events, without @nestjs/event-emitter', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow, pingWorkflow] })], providers: [...orderProviders, StepAudit] });
    const id = await runOrder(app);
    const workflows = app.get(WorkflowService);
    await workflows.waitFor((await workflows.start('ping', {})).id);
    const audit = app.get(StepAudit);
    expect(audit.steps).toEqual(['validate', 'charge', 'ship', 'ping']);
    expect(audit.all).toEqual(expect.arrayContaining(['workflow.started', 'step.started', 'step.completed', 'workflow.completed']));
    // Filtered by definition: the order's completion is not there.
    expect(audit.finished).toEqual(['ping:workflow.completed']);
    expect(id).toEqual(expect.any(String));
  });

  it('contains listener failures: logged, the workflow goes on', async () => {
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (_obj, msg) => errors.push(msg ?? '') };
    @Injectable()
    class Faulty {
      @OnWorkflowEvent('step.completed')
      sync() {
        throw new Error('sync boom');
      }
      @OnWorkflowEvent('step.completed')
      async async() {
        throw new Error('async boom');
      }
    }
    const app = await boot({ imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow], engineOptions: { logger } })], providers: [...orderProviders, Faulty] });
    const workflows = app.get(WorkflowService);
    const inst = await workflows.start('order', { order: { total: 10 } });
    expect((await workflows.waitFor(inst.id, { until: 'terminal' })).state).toBe('COMPLETED');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(expect.arrayContaining(['event listener threw', 'workflow event listener failed']));
  });

  it('refuses a request-scoped listener', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class PerRequestListener {
      @OnWorkflowEvent('step.completed')
      on() {}
    }
    const app = await Test.createTestingModule({ imports: [WorkflowModule.forRoot()], providers: [PerRequestListener] }).compile();
    apps.push(app);
    const error = await app.init().then(() => undefined, (e: Error) => e);
    expect(error).toBeInstanceOf(InvalidWorkflowProviderError);
    expect(error?.message).toContain('PerRequestListener is request-scoped');
    expect(error?.message).toContain('@OnWorkflowEvent on PerRequestListener.on');
  });
});

describe('EventEmitter2 bridge', () => {
  it('re-emits every engine event under its own name when EventEmitterModule is imported', async () => {
    const app = await boot({ imports: [EventEmitterModule.forRoot(), WorkflowModule.forRoot({ definitions: [orderWorkflow] })], providers: [...orderProviders, BridgeListener] });
    const id = await runOrder(app);
    const listener = app.get(BridgeListener);
    expect(listener.received).toHaveLength(1);
    expect(listener.received[0]).toMatchObject({ type: 'workflow.completed', instanceId: id, definitionName: 'order', definitionVersion: '1' });
  });

  it('prefixes names with eventEmitter.prefix', async () => {
    const app = await boot({
      imports: [EventEmitterModule.forRoot(), WorkflowModule.forRoot({ definitions: [orderWorkflow], eventEmitter: { prefix: 'wm.' } })],
      providers: [...orderProviders, BridgeListener],
    });
    await runOrder(app);
    expect(app.get(BridgeListener).received.map((e) => `${e.type}:${e.stepId}`)).toEqual(['step.completed:validate', 'step.completed:charge', 'step.completed:ship']);
  });

  it('is off with eventEmitter: false, and absent without EventEmitterModule', async () => {
    const off = await boot({
      imports: [EventEmitterModule.forRoot(), WorkflowModule.forRoot({ definitions: [orderWorkflow], eventEmitter: false })],
      providers: [...orderProviders, BridgeListener],
    });
    await runOrder(off);
    expect(off.get(BridgeListener).received).toEqual([]);

    const without = await boot({ imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow] })], providers: [...orderProviders, StepAudit] });
    await runOrder(without);
    expect(without.get(StepAudit).steps).toEqual(['validate', 'charge', 'ship']);
  });
});
