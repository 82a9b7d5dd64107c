/**
 * The application module: the workflow module with the order processing definition, the HTTP API
 * under `/api`, the dashboard at `/dashboard`, and the order actions as Nest providers (discovered through `@WorkflowAction`).
 */
import { Module, type DynamicModule } from '@nestjs/common';
import type { Clock, StorageAdapter } from '@workflow-mastery/core';
import { WorkflowModule } from '@workflow-mastery/nestjs';
import { authorizeOrders, headerPrincipal } from './auth.js';
import { DemoServices } from '@workflow-mastery/sample-order-processing/demo-services';
import { orderActions } from './order-actions.js';
import { orderProcessingWorkflow } from '@workflow-mastery/sample-order-processing/order-processing.workflow';

/** Where the dashboard is served (no global prefix). */
export const DASHBOARD_PATH = '/dashboard';

/** Options of {@link AppModule.register}. */
export interface AppModuleOptions {
  /** Where state is kept (closed with the engine). */
  storage: StorageAdapter;
  /** @defaultValue the system clock */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        WorkflowModule.forRoot({
          storage: options.storage,
          definitions: [orderProcessingWorkflow],
          engineOptions: options.clock ? { clock: options.clock } : {},
          http: { prefix: 'api', principal: headerPrincipal, authorize: authorizeOrders },
          dashboard: { path: DASHBOARD_PATH.slice(1), title: 'Orders' },
        }),
      ],
      providers: [DemoServices, ...orderActions],
    };
  }
}
