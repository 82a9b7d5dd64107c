/** The method and path of every route of core's HTTP API, known before any engine exists. */
import { silentLogger, type WorkflowEngine } from '@workflow-mastery/core';
import { createWorkflowApi, type HttpMethod, type RouteSchema, type WorkflowOperation } from '@workflow-mastery/core/http';

/** What the controller needs to declare a route. */
export interface WorkflowRouteShape {
  method: HttpMethod;
  path: string;
  operation: WorkflowOperation;
  hasBody: boolean;
  /** For the Swagger description: one line, JSON Schemas, error statuses. */
  summary: string;
  schema: RouteSchema;
  errors: readonly number[];
}

let table: readonly WorkflowRouteShape[] | undefined;

/**
 * The route table's shapes. Nest declares routes when the module is defined, before the engine
 * is built, so the table is read once from an API over a placeholder engine that no route ever
 * calls (building the API only reads the table); requests go to the API over the real engine.
 */
export function workflowRouteTable(): readonly WorkflowRouteShape[] {
  if (!table) {
    const placeholder = { start: () => Promise.reject(new Error('placeholder engine')), logger: silentLogger } as unknown as WorkflowEngine;
    table = Object.freeze(
      createWorkflowApi({ engine: placeholder, auth: 'none' }).routes.map(({ method, path, operation, hasBody, summary, schema, errors }) => Object.freeze({ method, path, operation, hasBody, summary, schema, errors })),
    );
  }
  return table;
}
