/** The HTTP API's providers: its resolved options and core's route table over the engine. */
import type { FactoryProvider } from '@nestjs/common';
import { WorkflowEngine } from '@workflow-mastery/core';
import { createWorkflowApi, type WorkflowApi } from '@workflow-mastery/core/http';
import { WORKFLOW_HTTP_API, WORKFLOW_HTTP_MOUNT, WORKFLOW_HTTP_OPTIONS } from './workflow.constants.js';
import { WORKFLOW_MODULE_OPTIONS } from './workflow-module.definition.js';
import type { WorkflowHttpOptions } from './workflow-http-options.interface.js';
import type { WorkflowModuleOptions } from './workflow-module-options.interface.js';

/** The HTTP options: those given when the module was defined, overridden by the (async) options' `http`. */
export const workflowHttpOptionsProvider: FactoryProvider<WorkflowHttpOptions> = {
  provide: WORKFLOW_HTTP_OPTIONS,
  useFactory: (mount: WorkflowHttpOptions, options: WorkflowModuleOptions) => ({ ...mount, ...(options.http || {}) }),
  inject: [WORKFLOW_HTTP_MOUNT, WORKFLOW_MODULE_OPTIONS],
};

/** Core's API over the engine; refuses to build without `authorize` or `auth: 'none'`. */
export const workflowHttpApiProvider: FactoryProvider<WorkflowApi> = {
  provide: WORKFLOW_HTTP_API,
  useFactory: (engine: WorkflowEngine, http: WorkflowHttpOptions) => {
    const { prefix: _prefix, principal: _principal, guards: _guards, bodyLimit: _limit, ...apiOptions } = http;
    return createWorkflowApi({ ...apiOptions, engine });
  },
  inject: [WorkflowEngine, WORKFLOW_HTTP_OPTIONS],
};
