/**
 * `GET /instances/:id/permissions`: what the caller may do on one instance, so a UI can disable the
 * commands it would be refused. Asks `authorize` once per operation, with the instance as the
 * resource; whoever may read the instance may ask (it only tells callers about themselves).
 */
import type { WorkflowOperation } from './http.types.js';
import { instanceResource, ok } from './route-inputs.js';
import { paramsSchemas } from './route-schemas.js';
import type { RouteSpec } from './route-spec.js';

/** The operations on one instance, in the order the answer lists them. */
export const INSTANCE_OPERATIONS: readonly WorkflowOperation[] = Object.freeze([
  'instances.read',
  'instances.history',
  'instances.signal',
  'instances.pause',
  'instances.resume',
  'instances.retry',
  'instances.cancel',
  'instances.migrate',
  'instances.retry_from',
  'instances.skip_step',
  'instances.update_data',
]);

const permissionsSchema = {
  type: 'object',
  properties: {
    instanceId: { type: 'string' },
    operations: {
      type: 'array',
      items: { type: 'string', enum: [...INSTANCE_OPERATIONS] },
      description: 'The operations `authorize` allows this caller on this instance; whether the instance is in a state to accept each is a separate matter (409)',
    },
  },
  required: ['instanceId', 'operations'],
};

/** The route, for the route table. */
export const permissionsRoute: RouteSpec = {
  method: 'GET',
  path: '/instances/:id/permissions',
  operation: 'instances.permissions',
  authorizeAs: 'instances.read',
  summary: 'What the caller may do on this instance (the operations `authorize` allows); allowed to whoever may read it',
  schema: { params: paramsSchemas.id, response: { 200: { ...permissionsSchema, description: 'The allowed operations' } } },
  hasBody: false,
  errors: [400, 401, 403, 404, 500, 503],
  resource: instanceResource,
  async run({ params, allowed }) {
    const operations: WorkflowOperation[] = [];
    for (const operation of INSTANCE_OPERATIONS) if (await allowed(operation)) operations.push(operation);
    return ok({ instanceId: params.id!, operations });
  },
};
