/** The OpenAPI 3.1 document of the route table, generated from the same schemas ajv validates with. */
import { ErrorCode, WorkflowError } from '../errors.js';
import type { JsonSchema, WorkflowRoute } from './http.types.js';
import { pathParams, toOpenApiPath } from './route-path.js';
import { definitionResponses } from './route-schemas-definitions.js';
import { responseSchemas } from './route-schemas.js';

/**
 * An OpenAPI 3.1 Security Scheme Object: how a client proves who it is
 * (`{ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }`, `{ type: 'apiKey', in: 'header', name: 'x-api-key' }`,
 * `{ type: 'oauth2', flows: {...} }`, `{ type: 'openIdConnect', openIdConnectUrl }`, `{ type: 'mutualTLS' }`).
 */
export interface OpenApiSecurityScheme {
  type: 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS';
  description?: string;
  [field: string]: unknown;
}

/** `info` of the document, and how the app authenticates. */
export interface OpenApiInfo {
  title?: string;
  version?: string;
  description?: string;
  /**
   * How the app's `principal` hook authenticates requests, as OpenAPI `components.securitySchemes`
   * by name. Guarded operations accept any one of them; public operations (`publicOperations`,
   * `auth: 'none'`) get `security: []`.
   * @defaultValue `{ bearerAuth: { type: 'http', scheme: 'bearer' } }` ({@link DEFAULT_SECURITY_SCHEMES})
   */
  securitySchemes?: Readonly<Record<string, OpenApiSecurityScheme>>;
}

/**
 * The scheme documented when the app does not say how it authenticates: a bearer token in
 * `Authorization`, the most common wiring of a `principal` hook (and the one `cli serve --token` uses).
 */
export const DEFAULT_SECURITY_SCHEMES: Readonly<Record<string, OpenApiSecurityScheme>> = Object.freeze({
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    description:
      "Generic default: a token in `Authorization: Bearer ...`, checked by the app's `principal` hook. " +
      'Apps that authenticate otherwise describe it with the `openapi.securitySchemes` option.',
  },
});

/**
 * Refuses `securitySchemes` that would make a document no client can use: none at all, or a
 * scheme without a known `type`.
 * @throws WorkflowError `WF_INPUT_INVALID` naming the scheme
 */
export function checkSecuritySchemes(schemes: unknown): void {
  if (typeof schemes !== 'object' || schemes === null || Array.isArray(schemes) || Object.keys(schemes).length === 0) {
    throw new WorkflowError(ErrorCode.InputInvalid, `openapi.securitySchemes: ${SCHEMES_HINT}`);
  }
  for (const [name, scheme] of Object.entries(schemes as Record<string, unknown>)) {
    const type = (scheme as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !SCHEME_TYPES.has(type)) {
      throw new WorkflowError(ErrorCode.InputInvalid, `openapi.securitySchemes.${name}: "type" must be one of ${[...SCHEME_TYPES].join(', ')}; ${SCHEMES_HINT}`);
    }
  }
}

const SCHEME_TYPES = new Set(['http', 'apiKey', 'oauth2', 'openIdConnect', 'mutualTLS']);
const SCHEMES_HINT = 'pass OpenAPI security schemes by name, e.g. { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } }, or leave the option out for a generic bearer scheme.';

/** Statuses a public operation never answers (no principal is asked for). */
const GUARD_STATUSES = new Set([401, 403]);

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad JSON, a schema violation or invalid input (`WF_BAD_JSON`, `WF_INPUT_INVALID`, `WF_DEFINITION_INVALID`)',
  401: 'No principal (`WF_UNAUTHENTICATED`)',
  403: '`authorize` refused (`WF_FORBIDDEN`)',
  404: 'Unknown instance, task or definition (`WF_NOT_FOUND`, `WF_DEFINITION_NOT_FOUND`)',
  409: 'Not allowed in the current state, a concurrent change, a version stored with other content, or a unique business key held by an unfinished instance (`WF_ILLEGAL_TRANSITION`, `WF_CONCURRENCY`, `WF_DEFINITION_CONFLICT`, `WF_BUSINESS_KEY_TAKEN`)',
  413: 'Body too large (`WF_PAYLOAD_TOO_LARGE`)',
  500: 'Unexpected error (`WF_INTERNAL`); details are in the server log',
  503: 'Engine closed or storage unreachable (`WF_ENGINE_CLOSED`, `WF_UNAVAILABLE`)',
};

/** `instances.start` → `instancesStart`, `instances.retry_from` → `instancesRetryFrom`. */
function operationId(operation: string): string {
  return operation.replace(/[._]([a-z])/g, (_, c: string) => c.toUpperCase());
}

function parameters(route: WorkflowRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  const params = (route.schema.params?.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of pathParams(route.path)) {
    const { description, ...schema } = params[name] ?? { type: 'string' };
    out.push({ name, in: 'path', required: true, schema, ...(description ? { description } : {}) });
  }
  const query = route.schema.querystring;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  for (const [name, s] of Object.entries((query?.properties ?? {}) as Record<string, JsonSchema>)) {
    const { description, ...schema } = s;
    out.push({ name, in: 'query', required: required.has(name), schema, ...(description ? { description } : {}) });
  }
  out.push(...patternParameters(query));
  return out;
}

/**
 * Query parameters whose names follow a pattern (`attr.<name>`), as OpenAPI describes free-form
 * query parameters: one object parameter, `style: form` and `explode: true`, whose properties are
 * the parameters; named after the pattern's prefix (`attr`).
 */
export function patternParameters(query: JsonSchema | undefined): JsonSchema[] {
  const patterns = (query?.patternProperties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(patterns).map(([pattern, { description, ...schema }]) => ({
    name: /^\^([A-Za-z]+)/.exec(pattern)?.[1] ?? 'params',
    in: 'query',
    required: false,
    style: 'form',
    explode: true,
    schema: { type: 'object', patternProperties: { [pattern]: schema }, additionalProperties: false },
    ...(description ? { description } : {}),
  }));
}

function responses(route: WorkflowRoute): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [status, { description, ...schema }] of Object.entries(route.schema.response ?? {})) {
    // A text answer is documented under its `contentMediaType` (`text/vnd.mermaid`), else as text/plain.
    const type = schema.type !== 'string' ? 'application/json' : typeof schema.contentMediaType === 'string' ? schema.contentMediaType : 'text/plain';
    out[status] = {
      description: String(description ?? 'OK'),
      content: { [type]: { schema } },
    };
  }
  const errors = new Set<number>(route.errors);
  if (route.hasBody) errors.add(413);
  if (route.isPublic) for (const status of GUARD_STATUSES) errors.delete(status);
  for (const status of [...errors].sort()) {
    out[String(status)] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  return out;
}

/** The OpenAPI 3.1 document of `routes`, served from `basePath`. */
export function buildOpenApi(routes: readonly WorkflowRoute[], info: OpenApiInfo = {}, basePath = ''): Record<string, unknown> {
  const schemes = info.securitySchemes ?? DEFAULT_SECURITY_SCHEMES;
  checkSecuritySchemes(schemes);
  // Any one scheme is enough (OpenAPI: the entries of `security` are alternatives).
  const guarded = Object.keys(schemes).map((name) => ({ [name]: [] }));
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const item = (paths[toOpenApiPath(route.path)] ??= {});
    const params = parameters(route);
    item[route.method.toLowerCase()] = {
      operationId: operationId(route.operation),
      summary: route.summary,
      tags: [route.operation.split('.')[0]],
      'x-workflow-operation': route.operation,
      // `[]` overrides any default: this operation needs no credentials.
      security: route.isPublic ? [] : guarded,
      ...(params.length ? { parameters: params } : {}),
      ...(route.hasBody && route.schema.body
        ? { requestBody: { required: false, content: { 'application/json': { schema: route.schema.body } } } }
        : {}),
      responses: responses(route),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Workflow Mastery API',
      version: info.version ?? '0.1.0',
      ...(info.description ? { description: info.description } : {}),
    },
    servers: [{ url: basePath || '/' }],
    paths,
    components: {
      schemas: {
        Error: responseSchemas.error,
        Instance: responseSchemas.instance,
        Task: responseSchemas.task,
        HistoryEvent: responseSchemas.event,
        Definition: responseSchemas.definition,
        DeployedDefinition: definitionResponses.deployed,
        MigrationPlan: definitionResponses.plan,
        PurgeReport: responseSchemas.purgeReport,
      },
      securitySchemes: { ...schemes },
    },
  };
}
