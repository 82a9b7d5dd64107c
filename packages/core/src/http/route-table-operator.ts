/**
 * The operator routes on one instance: migrate it to another version, re-run it from a step, skip
 * a stuck step, patch its data. Each is one commit with the caller in its history event.
 */
import type { JsonObject } from '../definition/definition.types.js';
import { instanceResource, ok } from './route-inputs.js';
import { definitionBodies, definitionParams, definitionResponses } from './route-schemas-definitions.js';
import { bodySchemas, paramsSchemas, responseSchemas } from './route-schemas.js';
import { migrateOptions } from './route-table-definitions.js';
import type { RouteSpec } from './route-spec.js';

const ERRORS = [400, 401, 403, 404, 409, 500, 503];

/** The routes, in the table's order. */
export const OPERATOR_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/instances/:id/migrate',
    operation: 'instances.migrate',
    summary:
      'Move an unfinished instance to another version of its definition: `dryRun: true` answers the plan and changes nothing; ' +
      'otherwise it is applied in one commit (`instance.migrated` in the history). 400 when a step it is in has no place in the target (give `stepMap`), 409 when it is finished',
    schema: { params: paramsSchemas.id, body: definitionBodies.migrate, response: { 200: { ...definitionResponses.plan, description: 'The plan (applied unless a dry run)' } } },
    hasBody: true,
    errors: ERRORS,
    resource: instanceResource,
    async run({ engine, params, body, actor }) {
      const { cursor: _cursor, limit: _limit, ...options } = migrateOptions(body, actor);
      return ok(await engine.migrateInstance(params.id!, options));
    },
  },
  {
    method: 'POST',
    path: '/instances/:id/steps/:stepId/retry',
    operation: 'instances.retry_from',
    summary: 'Re-run the instance from a completed or failed step; the results of the steps after it are cleared',
    schema: { params: definitionParams.step, body: bodySchemas.empty, response: { 200: { ...responseSchemas.instance, description: 'The instance after the command' } } },
    hasBody: true,
    errors: ERRORS,
    resource: instanceResource,
    run: async ({ engine, params, actor }) => ok(await engine.retryFrom(params.id!, params.stepId!, actor)),
  },
  {
    method: 'POST',
    path: '/instances/:id/steps/:stepId/skip',
    operation: 'instances.skip_step',
    summary: 'Complete a stuck step with `data` as its result and route on',
    schema: { params: definitionParams.step, body: definitionBodies.skip, response: { 200: { ...responseSchemas.instance, description: 'The instance after the command' } } },
    hasBody: true,
    errors: ERRORS,
    resource: instanceResource,
    run: async ({ engine, params, body, actor }) => ok(await engine.skipStep(params.id!, params.stepId!, (body.data ?? {}) as JsonObject, actor)),
  },
  {
    method: 'PATCH',
    path: '/instances/:id/data',
    operation: 'instances.update_data',
    summary: "Merge `patch` into the instance's data (shallow; a key set to null is removed)",
    schema: { params: paramsSchemas.id, body: definitionBodies.updateData, response: { 200: { ...responseSchemas.instance, description: 'The instance after the command' } } },
    hasBody: true,
    errors: ERRORS,
    resource: instanceResource,
    run: async ({ engine, params, body, actor }) => ok(await engine.updateData(params.id!, body.patch as JsonObject, actor)),
  },
];
