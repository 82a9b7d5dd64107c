/**
 * JSON Schemas of the routes' params, query strings and bodies (validated by ajv, documented in
 * `/openapi.json`) and of their answers (documentation only).
 */
import type { JsonSchema } from './http.types.js';

const INSTANCE_STATES = ['PENDING', 'RUNNING', 'WAITING', 'PAUSED', 'COMPENSATING', 'COMPLETED', 'FAILED', 'CANCELLED'];
const TASK_STATES = ['OPEN', 'CLAIMED', 'COMPLETED', 'EXPIRED', 'CANCELLED'];

/** A comma-separated list of `values` (`RUNNING,WAITING`). */
function commaList(values: string[], description: string): JsonSchema {
  const one = `(${values.join('|')})`;
  return { type: 'string', pattern: `^${one}(,${one})*$`, description: `${description}: comma-separated, any of ${values.join(', ')}` };
}

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };

/** Path params by route. */
export const paramsSchemas = {
  name: { type: 'object', properties: { name: { ...id, description: 'Definition name' } }, required: ['name'] },
  id: { type: 'object', properties: { id: { ...id, description: 'Instance id' } }, required: ['id'] },
  taskId: { type: 'object', properties: { id: { ...id, description: 'Task id (`<instanceId>.<stepId>.<run>`)' } }, required: ['id'] },
  signal: {
    type: 'object',
    properties: { id: { ...id, description: 'Instance id' }, signal: { ...id, description: 'Signal name' } },
    required: ['id', 'signal'],
  },
} satisfies Record<string, JsonSchema>;

const timeFilter = (what: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  description: `${what}: epoch milliseconds or an ISO 8601 date`,
});

/** Query strings by route. */
export const querySchemas = {
  instances: {
    type: 'object',
    properties: {
      definition: { ...id, description: 'Definition name' },
      state: commaList(INSTANCE_STATES, 'Instance states'),
      createdAfter: timeFilter('Created at or after'),
      createdBefore: timeFilter('Created before'),
      limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Page size (default 100)' },
      cursor: { type: 'string', minLength: 1, description: '`nextCursor` of the previous page' },
      order: { type: 'string', enum: ['asc', 'desc'], description: 'By creation time (default desc)' },
    },
    additionalProperties: false,
  },
  tasks: {
    type: 'object',
    properties: {
      assignedTo: { ...id, description: 'Assignee (role or user)' },
      state: commaList(TASK_STATES, 'Task states (default OPEN,CLAIMED)'),
      instanceId: { ...id, description: 'Instance id' },
      definition: { ...id, description: 'Definition name' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'At most this many (default 100)' },
    },
    additionalProperties: false,
  },
  none: { type: 'object', properties: {}, additionalProperties: false },
} satisfies Record<string, JsonSchema>;

const dataObject: JsonSchema = { type: 'object', description: 'A JSON object' };

/** Bodies by route. */
export const bodySchemas = {
  start: {
    type: 'object',
    properties: {
      data: { ...dataObject, description: 'Start data (checked against the definition\'s `input` schema)' },
      idempotencyKey: { type: 'string', minLength: 1, maxLength: 256, description: 'A second start with this key returns the first instance (200)' },
      version: { type: 'string', minLength: 1, maxLength: 64, description: 'Definition version (default: the latest registered)' },
    },
    additionalProperties: false,
  },
  signal: { type: 'object', description: 'The signal payload, merged into the instance data by the waiting step' },
  cancel: {
    type: 'object',
    properties: { reason: { type: 'string', maxLength: 2000, description: 'Why; kept in the history' } },
    additionalProperties: false,
  },
  empty: { type: 'object', properties: {}, additionalProperties: false },
  complete: {
    type: 'object',
    properties: { data: { ...dataObject, description: 'Task result, merged into the instance data' } },
    additionalProperties: false,
  },
} satisfies Record<string, JsonSchema>;

/** Answers, for the OpenAPI document. */
export const responseSchemas = {
  error: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  },
  instance: {
    type: 'object',
    description: 'An instance record',
    properties: {
      id: { type: 'string' },
      definitionName: { type: 'string' },
      definitionVersion: { type: 'string' },
      state: { type: 'string', enum: INSTANCE_STATES },
      data: { type: 'object' },
      steps: { type: 'object' },
      version: { type: 'integer' },
      createdAt: { type: 'integer' },
      updatedAt: { type: 'integer' },
      startedBy: { type: 'string' },
    },
    required: ['id', 'definitionName', 'definitionVersion', 'state', 'data'],
  },
  task: {
    type: 'object',
    description: 'A human task',
    properties: {
      id: { type: 'string' },
      instanceId: { type: 'string' },
      stepId: { type: 'string' },
      definitionName: { type: 'string' },
      assignedTo: { type: 'string' },
      state: { type: 'string', enum: TASK_STATES },
      form: { type: 'object' },
    },
    required: ['id', 'instanceId', 'stepId', 'assignedTo', 'state'],
  },
  event: {
    type: 'object',
    properties: { seq: { type: 'integer' }, type: { type: 'string' }, at: { type: 'integer' }, stepId: { type: 'string' }, data: { type: 'object' } },
    required: ['seq', 'type', 'at'],
  },
  definition: {
    type: 'object',
    description: 'A definition in its storable format (snake_case keys)',
    properties: { name: { type: 'string' }, version: { type: 'string' }, steps: { type: 'object' }, transitions: { type: 'array' }, parallel_groups: {} },
    required: ['name', 'version', 'steps'],
  },
  health: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
  ready: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok'] },
      checks: {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' }, status: { type: 'string', enum: ['ok', 'failed'] }, durationMs: { type: 'integer' }, error: { type: 'string' } },
          required: ['name', 'status', 'durationMs'],
        },
      },
    },
    required: ['status', 'checks'],
  },
} satisfies Record<string, JsonSchema>;

/** `{ items: [schema] }`, with `nextCursor` when `paged`. */
export function listOf(schema: JsonSchema, paged = false): JsonSchema {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: schema }, ...(paged ? { nextCursor: { type: 'string' } } : {}) },
    required: ['items'],
  };
}
