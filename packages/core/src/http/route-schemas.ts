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

/** A business key: what the engine accepts (1 to 255 characters, no control characters). */
const businessKey: JsonSchema = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001f\\u007f]*$' };

/** Name of a search attribute (as `search_attributes` declares it). */
export const ATTRIBUTE_NAME_PATTERN = '[A-Za-z][A-Za-z0-9_]{0,62}';

/** Query parameters `attr.<name>=<value>`: the search attributes an instance must have (all of them). */
export const ATTRIBUTE_QUERY_PATTERN = `^attr\\.${ATTRIBUTE_NAME_PATTERN}$`;

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
      businessKey: { ...businessKey, description: 'Business key (exact match)' },
    },
    patternProperties: {
      [ATTRIBUTE_QUERY_PATTERN]: {
        type: 'string',
        maxLength: 255,
        description: 'A search attribute the instance must have, compared as text: `attr.customer=C-1` (several names: all must match; one value per name)',
      },
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
      businessKey: { ...businessKey, description: 'Your own identifier of what the instance is about (an order number), recorded on it and searchable with `GET /instances?businessKey=`' },
      uniqueBusinessKey: { type: 'boolean', description: 'Refuse the start (409 `WF_BUSINESS_KEY_TAKEN`, naming the holder in `details.instanceId`) while an unfinished instance of this definition has the same `businessKey`' },
    },
    additionalProperties: false,
  },
  purge: {
    type: 'object',
    properties: {
      dryRun: { type: 'boolean', description: 'Count what would be purged, delete nothing' },
      limit: { type: 'integer', minimum: 1, maximum: 1_000_000, description: "Most instances to purge (default: the engine's `purge.maxPerRun`, 10000)" },
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
      businessKey: { type: 'string', description: 'Given at start' },
      uniqueBusinessKey: { type: 'boolean', description: 'Present (true) when the start asked for a unique business key' },
      attributes: { type: 'object', additionalProperties: { type: 'string' }, description: "Search attributes read from the data (the definition's `search_attributes`), as text" },
      purgeAfter: { type: 'integer', description: 'Finished instances under a retention: when the purge may delete it (epoch ms)' },
    },
    required: ['id', 'definitionName', 'definitionVersion', 'state', 'data'],
  },
  purgeReport: {
    type: 'object',
    description: 'What a purge did (with `dryRun`, what it would do)',
    properties: {
      candidates: { type: 'integer', description: 'Finished instances found past their retention' },
      purged: { type: 'integer' },
      archived: { type: 'integer' },
      byDefinition: { type: 'object', additionalProperties: { type: 'integer' }, description: 'Purged instances by definition name' },
      more: { type: 'boolean', description: 'The run stopped at its limit with candidates left' },
    },
    required: ['candidates', 'purged', 'archived', 'byDefinition', 'more'],
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
