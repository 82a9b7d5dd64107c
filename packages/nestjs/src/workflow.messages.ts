/** User-facing messages of the Nest integration, in one place. */

export const REQUEST_SCOPED_PROVIDER = (kind: string, cls: string, scope: 'request' | 'transient') =>
  scope === 'request'
    ? `${cls} is request-scoped (or depends on a request-scoped provider) and cannot be ${kind}: ` +
      'workflow steps run outside any HTTP request (after a restart, on a timer, on another machine), so there is no request to build it for. ' +
      'Make it a default-scoped (singleton) provider and pass what the request knows in the workflow data.'
    : `${cls} is transient and cannot be ${kind}: Nest builds one instance per consumer, so there is no single instance for the engine to use. ` +
      'Make it a default-scoped (singleton) provider.';

export const DUPLICATE_ACTION = (name: string, first: string, second: string) =>
  `Two providers declare @WorkflowAction('${name}'): ${first} and ${second}. Action names must be unique; rename one of them.`;

export const ACTION_WITHOUT_EXECUTE = (name: string, cls: string) =>
  `${cls} is decorated with @WorkflowAction('${name}') but has no execute(ctx) method; declare execute(ctx) as a method of the class.`;

export const DEFINITION_PROVIDER_WITHOUT_METHOD = (cls: string) =>
  `${cls} is decorated with @WorkflowDefinitionProvider() but has no definitions() method; add definitions(): WorkflowDefinitionInput[] (sync or async).`;

export const DEFINITIONS_NOT_ARRAY = (cls: string, got: string) =>
  `${cls}.definitions() must return an array of workflow definitions, got ${got}.`;

export const BULLMQ_RUNNER_UNAVAILABLE =
  "WorkflowModule: runner 'bullmq' needs a queue: import BullModule.forRoot({ connection }) and WorkflowBullMQModule.forRoot({ queue }) from '@workflow-mastery/nestjs/bullmq' in your app module.";

export const BULLMQ_MODULE_WITHOUT_RUNNER =
  "WorkflowBullMQModule: WorkflowModule is not configured with runner: 'bullmq' (its worker has no BullMQ runner to run jobs through).";

export const BULLMQ_PACKAGE_MISSING =
  "WorkflowModule: runner 'bullmq' needs the packages @workflow-mastery/bullmq and bullmq: npm install @workflow-mastery/bullmq bullmq @nestjs/bullmq";

export const UNKNOWN_RUNNER = (got: string) =>
  `WorkflowModule: unknown runner ${got}; use 'in-process' (the default) or a WorkflowRunner instance (with start, dispatch, armTimer, disarmTimer, idle and close).`;

export const UNKNOWN_STORAGE = (got: string) =>
  `WorkflowModule: unknown storage ${got}; use 'memory', { type: 'file', directory }, { type: 'typeorm', dataSource }, { type: 'redis', url | redis }, or a StorageAdapter instance.`;

export const FILE_STORAGE_DIRECTORY = "WorkflowModule: storage { type: 'file' } needs a directory, e.g. { type: 'file', directory: '.workflow-data' }.";

export const TYPEORM_DATA_SOURCE_MISSING =
  "WorkflowModule: storage { type: 'typeorm' } needs dataSource: your DataSource instance, or its injection token (with @nestjs/typeorm: the DataSource class, or getDataSourceToken('name')).";

export const TYPEORM_DATA_SOURCE_UNRESOLVED = (token: string) =>
  `WorkflowModule: storage { type: 'typeorm', dataSource: ${token} }: no provider with that token is available (or it is not built yet). ` +
  `With forRootAsync, list the token in inject and return the instance: useFactory: (dataSource) => ({ storage: { type: 'typeorm', dataSource } }), inject: [${token}].`;

export const STORAGE_PACKAGE_MISSING = (type: string, pkg: string, cause: string) =>
  `WorkflowModule: storage type '${type}' needs the package ${pkg}, which could not be loaded (${cause}). Install it: npm install ${pkg}`;

export const STORAGE_EXPORT_MISSING = (pkg: string, name: string) =>
  `WorkflowModule: ${pkg} does not export ${name}; install a version of ${pkg} that matches @workflow-mastery/nestjs.`;

export const HTTP_PREFIX_INVALID = (prefix: unknown) =>
  `WorkflowModule: http.prefix must be a string path such as 'api/workflow' (or '' for the root), got ${JSON.stringify(prefix)}.`;

export const DASHBOARD_PATH_INVALID = (got: unknown) =>
  `WorkflowModule: dashboard.path must be a non-empty path like 'dashboard' or '/ops/dashboard' (no '?', '#', '..' or spaces), got ${JSON.stringify(got)}.`;

export const DASHBOARD_NEEDS_API =
  "WorkflowModule: the dashboard calls the HTTP API, which is not mounted: pass http: { prefix, authorize } too, or dashboard.apiBase to point at an API served elsewhere.";
