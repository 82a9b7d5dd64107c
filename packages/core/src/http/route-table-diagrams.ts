/**
 * The diagram routes: a definition version, or an instance with its path, as a Mermaid flowchart
 * ({@link toMermaid}), answered as `text/vnd.mermaid`.
 */
import { toMermaid } from '../definition/mermaid.js';
import type { JsonSchema, WorkflowHttpResponse } from './http.types.js';
import { instanceResource } from './route-inputs.js';
import type { RouteSpec } from './route-spec.js';

/** Content type of the diagram routes' answers. */
export const MERMAID_CONTENT_TYPE = 'text/vnd.mermaid; charset=utf-8';

/** Errors every route may answer besides its own (as in `route-table.ts`). */
const COMMON = [400, 401, 403, 500, 503];
const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };

const directionQuery: JsonSchema = {
  type: 'object',
  properties: { direction: { type: 'string', enum: ['TD', 'LR'], description: 'Layout: top-down (default) or left-right' } },
  additionalProperties: false,
};

const mermaidText = (description: string): JsonSchema & { description: string } => ({ type: 'string', contentMediaType: 'text/vnd.mermaid', description });

const diagram = (text: string): WorkflowHttpResponse => ({ status: 200, body: text, headers: { 'content-type': MERMAID_CONTENT_TYPE } });

const direction = (query: Record<string, unknown>) => (query.direction !== undefined ? { direction: query.direction as 'TD' | 'LR' } : {});

/** `GET /definitions/:name/versions/:version/diagram` and `GET /instances/:id/diagram`. */
export const DIAGRAM_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/definitions/:name/versions/:version/diagram',
    operation: 'definitions.diagram',
    summary: 'A definition version (registered or stored) as a Mermaid flowchart: steps, guards, transitions, parallel groups and joins, compensations',
    schema: {
      params: {
        type: 'object',
        properties: { name: { ...id, description: 'Definition name' }, version: { ...id, maxLength: 64, description: 'Definition version' } },
        required: ['name', 'version'],
      },
      querystring: directionQuery,
      response: { 200: mermaidText('Mermaid flowchart source') },
    },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: async (_engine, params) => ({ resource: { definition: params.name! } }),
    run: async ({ engine, params, query }) => diagram(toMermaid(await engine.loadDefinition(params.name!, params.version!), direction(query))),
  },
  {
    method: 'GET',
    path: '/instances/:id/diagram',
    operation: 'instances.diagram',
    summary: "An instance's definition as a Mermaid flowchart with the path taken and the current steps marked",
    schema: {
      params: { type: 'object', properties: { id: { ...id, description: 'Instance id' } }, required: ['id'] },
      querystring: directionQuery,
      response: { 200: mermaidText('Mermaid flowchart source, steps classed by status, taken transitions styled') },
    },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: instanceResource,
    async run({ engine, params, query }) {
      const instance = await engine.getInstance(params.id!);
      const [history, definition] = await Promise.all([engine.getHistory(instance.id), engine.loadDefinition(instance.definitionName, instance.definitionVersion)]);
      return diagram(toMermaid(definition, { instance, history, ...direction(query) }));
    },
  },
];
