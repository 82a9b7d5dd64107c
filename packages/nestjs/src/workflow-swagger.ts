/**
 * The workflow routes described to `@nestjs/swagger` when the app has it (an optional peer): each
 * handler gets core's operationId, summary, tag, path and query parameters, body and responses, so
 * `SwaggerModule.createDocument(app, config)` lists them like the app's own routes.
 */
import { patternParameters, type WorkflowRoute } from '@workflow-mastery/core/http';
import { importModule, isModuleNotFound } from './optional-import.js';

const SWAGGER_PACKAGE = '@nestjs/swagger';

type Decorate = (options: Record<string, unknown>) => MethodDecorator & ClassDecorator;
type SwaggerDecorators = Record<'ApiOperation' | 'ApiParam' | 'ApiQuery' | 'ApiBody' | 'ApiResponse', Decorate> & { ApiTags: (...tags: string[]) => MethodDecorator };

// Loaded once, when this module loads (routes are declared synchronously, when the module is defined).
const swagger: SwaggerDecorators | undefined = await importModule(SWAGGER_PACKAGE).then(
  (mod) => mod as unknown as SwaggerDecorators,
  (error: unknown) => {
    if (isModuleNotFound(error, SWAGGER_PACKAGE)) return undefined;
    throw error;
  },
);

/** `instances.start` → `instancesStart` (`instances.retry_from` → `instancesRetryFrom`), as in core's OpenAPI document. */
export function operationIdOf(operation: string): string {
  return operation.replace(/[._]([a-z])/g, (_, c: string) => c.toUpperCase());
}

type Schema = Record<string, unknown>;

/** Apply the Swagger decorators of `route` to the handler `name` of `proto`; nothing without `@nestjs/swagger`. */
export function describeRoute(route: Pick<WorkflowRoute, 'operation' | 'summary' | 'schema' | 'hasBody' | 'errors'>, proto: object, name: string): void {
  if (!swagger) return;
  const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
  const apply = (decorator: MethodDecorator) => decorator(proto, name, descriptor);
  apply(swagger.ApiOperation({ operationId: operationIdOf(route.operation), summary: route.summary }));
  apply(swagger.ApiTags(route.operation.split('.')[0]!));
  const params = (route.schema.params?.properties ?? {}) as Record<string, Schema>;
  for (const [param, { description, ...schema }] of Object.entries(params)) {
    apply(swagger.ApiParam({ name: param, required: true, schema, ...(description ? { description } : {}) }));
  }
  const query = route.schema.querystring;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  for (const [param, { description, ...schema }] of Object.entries((query?.properties ?? {}) as Record<string, Schema>)) {
    apply(swagger.ApiQuery({ name: param, required: required.has(param), schema, ...(description ? { description } : {}) }));
  }
  // `attr.<name>` filters: one free-form object parameter, as in core's document.
  for (const parameter of patternParameters(query)) apply(swagger.ApiQuery(parameter));
  if (route.hasBody && route.schema.body) apply(swagger.ApiBody({ required: false, schema: route.schema.body }));
  for (const [status, { description, ...schema }] of Object.entries((route.schema.response ?? {}) as Record<string, Schema>)) {
    // A text answer (Prometheus, Mermaid) under its own media type, as in core's document.
    const media = schema.type !== 'string' ? undefined : typeof schema.contentMediaType === 'string' ? schema.contentMediaType : 'text/plain';
    apply(swagger.ApiResponse({ status: Number(status), description: String(description ?? 'OK'), ...(media ? { content: { [media]: { schema } } } : { schema }) }));
  }
  for (const status of route.errors) {
    apply(swagger.ApiResponse({ status, description: 'Error: { error: { code, message, details? } }' }));
  }
}
