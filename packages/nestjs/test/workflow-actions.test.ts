import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Inject, Injectable, Module, Scope, type OnModuleInit } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { Test, type TestingModule } from '@nestjs/testing';
import { ActionResult, WorkflowEngine, type ActionContext } from '@workflow-mastery/core';
import { InvalidWorkflowProviderError, WorkflowAction, WorkflowDefinitionProvider, WorkflowModule, WorkflowService } from '../src/index.js';
import { orderProviders, orderWorkflow, PaymentGateway, pingWorkflow, PricingService, ProvidedWorkflows } from './fixtures.js';

const apps: TestingModule[] = [];

async function boot(metadata: Parameters<typeof Test.createTestingModule>[0]): Promise<TestingModule> {
  const app = await Test.createTestingModule(metadata).compile();
  apps.push(app);
  await app.init();
  return app;
}

/** Boot expecting startup to fail; returns the error. */
async function bootError(metadata: Parameters<typeof Test.createTestingModule>[0]): Promise<Error> {
  const app = await Test.createTestingModule(metadata).compile();
  apps.push(app);
  return app.init().then(
    () => {
      throw new Error('expected startup to fail');
    },
    (error: Error) => error,
  );
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close().catch(() => undefined);
});

describe('@WorkflowAction providers', () => {
  it('registers provider instances, with their constructor injection, under the decorator name', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot()], providers: orderProviders });
    const engine = app.get(WorkflowEngine);
    expect(engine.actions.names().sort()).toEqual(['charge_payment', 'refund_payment', 'reject_order', 'ship_order', 'validate_order']);
    app.get(PricingService).limit = 50;
    const inst = await engine.start(orderWorkflow, { order: { total: 80 } });
    const done = await engine.waitFor(inst.id, { until: 'terminal' });
    // The injected PricingService (limit 50) refused the order: it went to reject_order.
    expect(done.data).toMatchObject({ order: { total: 80, valid: false }, rejected: true });
    expect(app.get(PricingService).calls).toEqual(['check:80']);
  });

  it('uses the decorator options: compensation by class, run on failure', async () => {
    const app = await boot({ imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow] })], providers: orderProviders });
    const gateway = app.get(PaymentGateway);
    gateway.declineNext = true;
    const workflows = app.get(WorkflowService);
    const inst = await workflows.start('order', { order: { total: 10 } });
    const done = await workflows.waitFor(inst.id, { until: 'terminal' });
    expect(done.state).toBe('FAILED');
    expect(gateway.charged).toEqual([inst.id]);
    expect(gateway.refunded).toEqual([inst.id]);
  });

  it('finds actions in any module, provided by class, useClass or useFactory', async () => {
    @WorkflowAction('from_feature')
    class FeatureAction {
      constructor(readonly pricing: PricingService) {}
      execute() {
        return { feature: this.pricing.limit };
      }
    }
    @WorkflowAction('from_factory')
    class FactoryAction {
      execute(ctx: ActionContext) {
        return ActionResult.success({ factory: ctx.stepId });
      }
    }
    @Module({ providers: [PricingService, FeatureAction, { provide: 'FACTORY_ACTION', useFactory: () => new FactoryAction() }] })
    class FeatureModule {}

    const app = await boot({ imports: [WorkflowModule.forRoot(), FeatureModule] });
    const engine = app.get(WorkflowEngine);
    const inst = await engine.start(
      { name: 'features', steps: { a: { action: FeatureAction }, b: { action: 'from_factory' } }, transitions: [{ from: 'a', to: 'b' }] },
      {},
    );
    expect((await engine.waitFor(inst.id, { until: 'terminal' })).data).toEqual({ feature: 1000, factory: 'b' });
  });

  it('refuses a request-scoped action, naming the class and why', async () => {
    @WorkflowAction('per_request')
    @Injectable({ scope: Scope.REQUEST })
    class PerRequestAction {
      execute() {}
    }
    const error = await bootError({ imports: [WorkflowModule.forRoot()], providers: [PerRequestAction] });
    expect(error).toBeInstanceOf(InvalidWorkflowProviderError);
    expect(error.message).toContain('PerRequestAction is request-scoped');
    expect(error.message).toContain("@WorkflowAction('per_request')");
    expect(error.message).toContain('outside any HTTP request');
    expect((error as InvalidWorkflowProviderError).provider).toBe('PerRequestAction');
  });

  it('refuses an action that depends on the request', async () => {
    @WorkflowAction('needs_request')
    @Injectable()
    class NeedsRequestAction {
      constructor(@Inject(REQUEST) readonly request: unknown) {}
      execute() {}
    }
    const error = await bootError({ imports: [WorkflowModule.forRoot()], providers: [NeedsRequestAction] });
    expect(error.message).toMatch(/NeedsRequestAction is request-scoped \(or depends on a request-scoped provider\)/);
  });

  it('refuses a transient action', async () => {
    @WorkflowAction('transient')
    @Injectable({ scope: Scope.TRANSIENT })
    class TransientAction {
      execute() {}
    }
    const error = await bootError({ imports: [WorkflowModule.forRoot()], providers: [TransientAction] });
    expect(error).toBeInstanceOf(InvalidWorkflowProviderError);
    expect(error.message).toContain('TransientAction is transient');
  });

  it('refuses two classes with the same action name, and a class without execute', async () => {
    @WorkflowAction('twin')
    class TwinA {
      execute() {}
    }
    @WorkflowAction('twin')
    class TwinB {
      execute() {}
    }
    expect((await bootError({ imports: [WorkflowModule.forRoot()], providers: [TwinA, TwinB] })).message).toContain("Two providers declare @WorkflowAction('twin'): TwinA and TwinB");

    @WorkflowAction('lazy')
    class NoExecute {
      run() {}
    }
    expect((await bootError({ imports: [WorkflowModule.forRoot()], providers: [NoExecute] })).message).toContain("NoExecute is decorated with @WorkflowAction('lazy') but has no execute(ctx) method");
  });
});

describe('definitions', () => {
  it('registers definitions from options and from @WorkflowDefinitionProvider() providers, after the actions', async () => {
    const app = await boot({
      imports: [WorkflowModule.forRoot({ definitions: [orderWorkflow], engineOptions: { definitions: [pingWorkflow] } })],
      providers: [...orderProviders, ProvidedWorkflows],
    });
    const workflows = app.get(WorkflowService);
    expect(workflows.definitions().map((d) => `${d.name}@${d.version}`).sort()).toEqual(['order@1', 'ping@1', 'provided_ping@1000']);
    // orderWorkflow names actions by class: stored by their registered names.
    expect(app.get(WorkflowEngine).getDefinition('order').steps.validate!.action).toBe('validate_order');
    const inst = await workflows.start('provided_ping', {});
    expect((await workflows.waitFor(inst.id)).state).toBe('COMPLETED');
  });

  it('accepts async definitions() and refuses a provider without it', async () => {
    @WorkflowDefinitionProvider()
    class AsyncDefinitions {
      async definitions() {
        return [{ ...pingWorkflow, name: 'async_ping' }];
      }
    }
    const app = await boot({ imports: [WorkflowModule.forRoot()], providers: [...orderProviders, AsyncDefinitions] });
    expect(app.get(WorkflowService).definitions().map((d) => d.name)).toEqual(['async_ping']);

    @WorkflowDefinitionProvider()
    class Broken {}
    expect((await bootError({ imports: [WorkflowModule.forRoot()], providers: [Broken] })).message).toContain('Broken is decorated with @WorkflowDefinitionProvider() but has no definitions() method');
  });

  it('fails startup on an invalid definition, with its path', async () => {
    const bad = { name: 'bad', steps: { a: { action: 'reject_order', retry_delay: '30x' } } };
    const error = await bootError({ imports: [WorkflowModule.forRoot({ definitions: [bad] })], providers: orderProviders });
    expect(error.message).toContain('steps.a.retry_delay');
  });
});

describe('startup ordering', () => {
  it('holds recovered work until the application has bootstrapped, so actions registered in any onModuleInit are there', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'wm-nest-order-'));
    try {
      const definition = { name: 'manual', steps: { only: { action: 'manual_action' } } };
      const storage = { type: 'file' as const, directory, fsync: false };
      let started!: () => void;
      const running = new Promise<void>((resolve) => (started = resolve));

      // First run: the step hangs and is cut off by shutdown, unrecorded: it must run again on the next start.
      @Injectable()
      class HangingRegistrar implements OnModuleInit {
        constructor(private readonly engine: WorkflowEngine) {}
        onModuleInit() {
          this.engine.registerAction('manual_action', () => {
            started();
            return new Promise(() => undefined);
          });
        }
      }
      const first = await boot({ imports: [WorkflowModule.forRoot({ storage, definitions: [definition], engineOptions: { shutdownTimeoutMs: 20 } })], providers: [HangingRegistrar] });
      const inst = await first.get(WorkflowService).start('manual', {});
      await running;
      await first.close();
      apps.splice(apps.indexOf(first), 1);

      // Second run: the engine recovers the step during WorkflowModule's onModuleInit, before the
      // app's own onModuleInit registers the action; it runs once the app has bootstrapped.
      @Injectable()
      class Registrar implements OnModuleInit {
        constructor(private readonly engine: WorkflowEngine) {}
        onModuleInit() {
          this.engine.registerAction('manual_action', () => ActionResult.success({ recovered: true }));
        }
      }
      const second = await boot({ imports: [WorkflowModule.forRoot({ storage, definitions: [definition] })], providers: [Registrar] });
      const done = await second.get(WorkflowService).waitFor(inst.id, { until: 'terminal' });
      expect(done).toMatchObject({ state: 'COMPLETED', data: { recovered: true } });
    } finally {
      for (const app of apps.splice(0)) await app.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    }
  });
});
