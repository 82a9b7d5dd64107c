/**
 * A route of the table as Fastify's route `schema`: params, query and body (validated with the
 * route table's ajv settings), the responses (serialized by Fastify, read by `@fastify/swagger`),
 * `operationId`, `tags` and `summary` as in `/openapi.json`.
 */
import type { JsonSchema, WorkflowApi, WorkflowRoute } from '@workflow-mastery/core/http';

/**
 * `schema` with every object open to properties it does not list: Fastify's serializer drops
 * unlisted properties, and an answer must carry every field the engine returns (the documented
 * ones are a subset).
 */
export function openObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(openObjects);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas; every other key holds a schema, a list of them, or a value.
    out[key] = key === 'properties' || key === '$defs' ? Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, openObjects(v)])) : openObjects(value);
  }
  if (out.type === 'object' && out.additionalProperties === undefined) out.additionalProperties = true;
  return out;
}

/** The document's operation of `route` (its `operationId` and `tags`). */
function operationOf(document: Record<string, unknown>, route: WorkflowRoute): { operationId?: string; tags?: string[] } {
  const paths = document.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>;
  return paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()] ?? {};
}

/** Fastify's `schema` for each route of `api`. */
export function fastifySchemas(api: WorkflowApi): Map<WorkflowRoute, Record<string, unknown>> {
  const document = api.openapi();
  const errorSchema = ((document.components as Record<string, Record<string, JsonSchema>>).schemas!.Error ?? { type: 'object' }) as JsonSchema;
  const error = openObjects({ ...errorSchema, description: 'Error: `{ error: { code, message, details? } }`' });
  const out = new Map<WorkflowRoute, Record<string, unknown>>();
  for (const route of api.routes) {
    const { operationId, tags } = operationOf(document, route);
    const response: Record<string, unknown> = {};
    for (const [status, schema] of Object.entries(route.schema.response ?? {})) response[status] = openObjects(schema);
    response['4xx'] = error;
    response['5xx'] = error;
    out.set(route, {
      ...(route.schema.params ? { params: route.schema.params } : {}),
      ...(route.schema.querystring ? { querystring: route.schema.querystring } : {}),
      ...(route.hasBody && route.schema.body ? { body: route.schema.body } : {}),
      response,
      summary: route.summary,
      ...(operationId ? { operationId } : {}),
      ...(tags ? { tags } : {}),
    });
  }
  return out;
}
