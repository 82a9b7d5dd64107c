/**
 * The routes of the workflow HTTP API, framework-agnostic: what each does with the engine once
 * {@link createWorkflowApi} has validated, authenticated and authorized the request. Their shape
 * is in `route-spec.ts`, what they share in `route-inputs.ts`; the definition routes are in
 * `route-table-definitions.ts`, the operator routes in `route-table-operator.ts`.
 */
import type { JsonObject } from '../definition/definition.types.js';
import { ErrorCode, WorkflowError } from '../errors.js';
import type { InstanceState, TaskState } from '../model/instance.types.js';
import type { InstanceQuery } from '../storage/storage-adapter.js';
import { instanceMetricsText, PROMETHEUS_CONTENT_TYPE } from './metrics-text.js';
import { assertStorageReachable, runReadiness, storageCheck } from './readiness.js';
import { bodySchemas, listOf, paramsSchemas, querySchemas, responseSchemas } from './route-schemas.js';
import { attributeFilters, instanceResource, ok, parseTime, signalResource, splitList, taskResource } from './route-inputs.js';
import { permissionsRoute } from './route-permissions.js';
import { DEFINITION_ROUTES } from './route-table-definitions.js';
import { MAINTENANCE_ROUTES } from './route-table-maintenance.js';
import { OPERATOR_ROUTES } from './route-table-operator.js';
import type { RouteSpec } from './route-spec.js';
import { DIAGRAM_ROUTES } from './route-table-diagrams.js';

/** Errors every route may answer besides its own. */
const COMMON = [400, 401, 403, 500, 503];

/** Every route of the API, in a stable order. */
export const ROUTE_SPECS: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/workflows/:name/instances',
    operation: 'instances.start',
    summary:
      'Start an instance of a registered definition (201; 200 when the idempotency key named an existing instance; ' +
      '409 `WF_BUSINESS_KEY_TAKEN` when `uniqueBusinessKey` is set and an unfinished instance holds the `businessKey`)',
    schema: { params: paramsSchemas.name, body: bodySchemas.start, response: { 201: { ...responseSchemas.instance, description: 'Started' }, 200: { ...responseSchemas.instance, description: 'The instance the idempotency key already named' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: async (_engine, params) => ({ resource: { definition: params.name! } }),
    async run({ engine, params, body, actor }) {
      const idempotencyKey = body.idempotencyKey as string | undefined;
      // The engine returns the existing instance for a used key; look first to answer 200 rather than 201.
      const existing = idempotencyKey === undefined ? undefined : await engine.storage.findByIdempotencyKey(idempotencyKey);
      if (existing) {
        if (existing.definitionName !== params.name) {
          throw new WorkflowError(ErrorCode.InputInvalid, `Idempotency key "${idempotencyKey}" already started an instance of "${existing.definitionName}", not "${params.name}".`, {
            idempotencyKey: idempotencyKey!,
            instanceId: existing.id,
            definition: existing.definitionName,
          });
        }
        return { status: 200, body: existing };
      }
      const inst = await engine.start(params.name!, (body.data ?? {}) as JsonObject, {
        startedBy: actor,
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(body.version !== undefined ? { version: body.version as string } : {}),
        ...(body.businessKey !== undefined ? { businessKey: body.businessKey as string } : {}),
        ...(body.uniqueBusinessKey !== undefined ? { uniqueBusinessKey: body.uniqueBusinessKey as boolean } : {}),
      });
      return { status: 201, body: inst };
    },
  },
  {
    method: 'GET',
    path: '/instances',
    operation: 'instances.list',
    summary: 'List instances, newest first, a page at a time; filter by definition, state, creation time, `businessKey` and search attributes (`attr.<name>=<value>`)',
    schema: { querystring: querySchemas.instances, response: { 200: { ...listOf(responseSchemas.instance, true), description: 'A page of instances' } } },
    hasBody: false,
    errors: COMMON,
    resource: async (_engine, _params, query) => ({ resource: query.definition !== undefined ? { definition: query.definition as string } : {} }),
    async run({ engine, query }) {
      const q: InstanceQuery = {};
      if (query.definition !== undefined) q.definitionName = query.definition as string;
      const states = splitList<InstanceState>(query.state);
      if (states) q.state = states;
      const after = parseTime('createdAfter', query.createdAfter);
      if (after !== undefined) q.createdAfter = after;
      const before = parseTime('createdBefore', query.createdBefore);
      if (before !== undefined) q.createdBefore = before;
      if (query.limit !== undefined) q.limit = query.limit as number;
      if (query.cursor !== undefined) q.cursor = query.cursor as string;
      if (query.order !== undefined) q.order = query.order as 'asc' | 'desc';
      if (query.businessKey !== undefined) q.businessKey = query.businessKey as string;
      const attributes = attributeFilters(query);
      if (attributes) q.attributes = attributes;
      const page = await engine.listInstances(q);
      return ok({ items: page.items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
    },
  },
  {
    method: 'GET',
    path: '/instances/:id',
    operation: 'instances.read',
    summary: 'One instance',
    schema: { params: paramsSchemas.id, response: { 200: { ...responseSchemas.instance, description: 'The instance' } } },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: instanceResource,
    run: async ({ engine, params }) => ok(await engine.getInstance(params.id!)),
  },
  {
    method: 'GET',
    path: '/instances/:id/history',
    operation: 'instances.history',
    summary: "An instance's history, oldest event first",
    schema: { params: paramsSchemas.id, response: { 200: { ...listOf(responseSchemas.event), description: 'The history' } } },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: instanceResource,
    run: async ({ engine, params }) => ok({ items: await engine.getHistory(params.id!) }),
  },
  permissionsRoute,
  ...DIAGRAM_ROUTES,
  {
    method: 'POST',
    path: '/instances/:id/signals/:signal',
    operation: 'instances.signal',
    summary: 'Send a signal (the body is its payload); buffered when no step waits for it yet',
    schema: { params: paramsSchemas.signal, body: bodySchemas.signal, response: { 200: { ...responseSchemas.instance, description: 'The instance after the signal' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: signalResource,
    run: async ({ engine, params, body, actor }) => ok(await engine.signal(params.id!, params.signal!, body as JsonObject, actor)),
  },
  ...(['pause', 'resume', 'retry'] as const).map(
    (command): RouteSpec => ({
      method: 'POST',
      path: `/instances/:id/${command}`,
      operation: `instances.${command}`,
      summary: { pause: 'Pause: running attempts finish, nothing new starts', resume: 'Resume a PAUSED instance', retry: 'Re-run a FAILED instance from its failed steps' }[command],
      schema: { params: paramsSchemas.id, body: bodySchemas.empty, response: { 200: { ...responseSchemas.instance, description: 'The instance after the command' } } },
      hasBody: true,
      errors: [...COMMON, 404, 409],
      resource: instanceResource,
      run: async ({ engine, params, actor }) => ok(await engine[command](params.id!, actor)),
    }),
  ),
  {
    method: 'POST',
    path: '/instances/:id/cancel',
    operation: 'instances.cancel',
    summary: 'Cancel: running attempts are aborted, nothing is compensated',
    schema: { params: paramsSchemas.id, body: bodySchemas.cancel, response: { 200: { ...responseSchemas.instance, description: 'The CANCELLED instance' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: instanceResource,
    run: async ({ engine, params, body, actor }) => ok(await engine.cancel(params.id!, body.reason as string | undefined, actor)),
  },
  ...OPERATOR_ROUTES,
  {
    method: 'GET',
    path: '/tasks',
    operation: 'tasks.list',
    summary: 'List human tasks (OPEN and CLAIMED unless `state` says otherwise)',
    schema: { querystring: querySchemas.tasks, response: { 200: { ...listOf(responseSchemas.task), description: 'The tasks' } } },
    hasBody: false,
    errors: COMMON,
    resource: async (_engine, _params, query) => ({
      resource: {
        ...(query.definition !== undefined ? { definition: query.definition as string } : {}),
        ...(query.instanceId !== undefined ? { instanceId: query.instanceId as string } : {}),
      },
    }),
    async run({ engine, query }) {
      const states = splitList<TaskState>(query.state);
      const items = await engine.listTasks({
        ...(query.assignedTo !== undefined ? { assignedTo: query.assignedTo as string } : {}),
        ...(states ? { state: states } : {}),
        ...(query.instanceId !== undefined ? { instanceId: query.instanceId as string } : {}),
        ...(query.definition !== undefined ? { definitionName: query.definition as string } : {}),
        ...(query.limit !== undefined ? { limit: query.limit as number } : {}),
      });
      return ok({ items });
    },
  },
  {
    method: 'GET',
    path: '/tasks/:id',
    operation: 'tasks.read',
    summary: 'One human task',
    schema: { params: paramsSchemas.taskId, response: { 200: { ...responseSchemas.task, description: 'The task' } } },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: taskResource,
    run: async ({ engine, params }) => ok(await engine.getTask(params.id!)),
  },
  {
    method: 'POST',
    path: '/tasks/:id/claim',
    operation: 'tasks.claim',
    summary: 'Claim an open task for the caller; only the caller may then complete it',
    schema: { params: paramsSchemas.taskId, body: bodySchemas.empty, response: { 200: { ...responseSchemas.task, description: 'The CLAIMED task' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: taskResource,
    run: async ({ engine, params, actor }) => ok(await engine.claimTask(params.id!, actor)),
  },
  {
    method: 'POST',
    path: '/tasks/:id/complete',
    operation: 'tasks.complete',
    summary: 'Complete a task: its data is merged into the instance data and the instance goes on',
    schema: { params: paramsSchemas.taskId, body: bodySchemas.complete, response: { 200: { ...responseSchemas.instance, description: 'The instance after the task' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: taskResource,
    run: async ({ engine, params, body, actor }) => ok(await engine.completeTask(params.id!, (body.data ?? {}) as JsonObject, actor)),
  },
  ...DEFINITION_ROUTES,
  ...MAINTENANCE_ROUTES,
  {
    method: 'GET',
    path: '/health',
    operation: 'health.read',
    summary: 'Storage is reachable: 200 `{ status: "ok" }`, else 503',
    schema: { response: { 200: { ...responseSchemas.health, description: 'Healthy' } } },
    hasBody: false,
    errors: [401, 403, 503],
    async run({ engine, healthTimeoutMs }) {
      await assertStorageReachable(engine, healthTimeoutMs);
      return ok({ status: 'ok' });
    },
  },
  {
    method: 'GET',
    path: '/ready',
    operation: 'ready.read',
    summary: 'Readiness: storage and every configured check (queue, cache...) answer: 200 with each check, else 503 naming the failed ones',
    schema: { response: { 200: { ...responseSchemas.ready, description: 'Ready' } } },
    hasBody: false,
    errors: [401, 403, 503],
    async run({ engine, healthTimeoutMs, readiness }) {
      const checks = await runReadiness([storageCheck(engine), ...readiness], healthTimeoutMs);
      return ok({ status: 'ok', checks });
    },
  },
  {
    method: 'GET',
    path: '/metrics',
    operation: 'metrics.read',
    summary: 'Prometheus text: the configured metrics source (e.g. @workflow-mastery/observability), else instances by state',
    schema: { response: { 200: { type: 'string', description: 'Prometheus text format 0.0.4' } } },
    hasBody: false,
    errors: [401, 403, 500, 503],
    run: async ({ engine, metrics }) =>
      metrics
        ? { status: 200, body: await metrics.metrics(), headers: { 'content-type': metrics.contentType } }
        : { status: 200, body: await instanceMetricsText(engine), headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operation: 'openapi.read',
    summary: 'This OpenAPI 3.1 document',
    schema: { response: { 200: { type: 'object', description: 'OpenAPI 3.1 document' } } },
    hasBody: false,
    errors: [401, 403],
    run: async ({ openapi, basePath }) => ok(openapi(basePath)),
  },
];
