/**
 * The maintenance routes: work on the store as a whole rather than on one instance. Each has its
 * own operation, so `authorize` can keep them to operators.
 */
import { ok } from './route-inputs.js';
import { bodySchemas, responseSchemas } from './route-schemas.js';
import type { RouteSpec } from './route-spec.js';

/** The routes, in the table's order. */
export const MAINTENANCE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/maintenance/purge',
    operation: 'maintenance.purge',
    summary:
      'Delete finished instances past their retention now (archived first when the engine has `purge.archive`), at most `limit`; ' +
      '`dryRun: true` counts them and deletes nothing. 400 when the storage cannot purge',
    schema: { body: bodySchemas.purge, response: { 200: { ...responseSchemas.purgeReport, description: 'What the purge did (or, with dryRun, would do)' } } },
    hasBody: true,
    errors: [400, 401, 403, 500, 503],
    async run({ engine, body }) {
      return ok(
        await engine.purge({
          ...(body.dryRun !== undefined ? { dryRun: body.dryRun as boolean } : {}),
          ...(body.limit !== undefined ? { limit: body.limit as number } : {}),
        }),
      );
    },
  },
];
