/**
 * JSON Schemas of the routes that deploy, read and migrate definitions and of the operator
 * controls (retry from a step, skip a step, update the data): params and bodies (validated by ajv),
 * answers (documented in `/openapi.json`).
 */
import type { JsonSchema } from './http.types.js';

const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 256 };
const version: JsonSchema = { type: 'string', minLength: 1, maxLength: 64 };

/** Path params of the new routes. */
export const definitionParams = {
  version: {
    type: 'object',
    properties: { name: { ...id, description: 'Definition name' }, version: { ...version, description: 'Definition version' } },
    required: ['name', 'version'],
  },
  step: {
    type: 'object',
    properties: { id: { ...id, description: 'Instance id' }, stepId: { ...id, description: 'Step id of the instance\'s definition' } },
    required: ['id', 'stepId'],
  },
} satisfies Record<string, JsonSchema>;

const migrateFields = {
  toVersion: { ...version, description: 'The version to move to (of the same definition name); deploy it first' },
  stepMap: {
    type: 'object',
    additionalProperties: { ...id, description: 'Step id in the target version' },
    description: 'Where each step the instance is in goes when the target has no step of that id (or renames it): `{ "old_id": "new_id" }`',
  },
  dryRun: { type: 'boolean', description: 'Only plan: answer the plan and change nothing (default false)' },
} satisfies Record<string, JsonSchema>;

/** Bodies of the new routes. */
export const definitionBodies = {
  /**
   * The definition itself. Only "an object" is checked here: the definition parser reports every
   * problem at once (400 `WF_DEFINITION_INVALID` with `details.issues`), which a schema stopping at
   * the first wrong type could not.
   */
  deploy: {
    type: 'object',
    description:
      'A workflow definition in its storable format (as `GET /definitions/{name}/versions/{version}` answers it): ' +
      '`{ name, version, steps: { id: { action, ... } }, transitions: [{ from, to, condition? }], parallel_groups?, input?, timeout?, error_handling? }`',
  },
  migrate: {
    type: 'object',
    properties: migrateFields,
    required: ['toVersion'],
    additionalProperties: false,
  },
  migrateAll: {
    type: 'object',
    properties: {
      ...migrateFields,
      cursor: { type: 'string', minLength: 1, maxLength: 1024, description: '`nextCursor` of the previous page' },
      limit: { type: 'integer', minimum: 1, maximum: 1000, description: 'Instances per page (default 100)' },
    },
    required: ['toVersion'],
    additionalProperties: false,
  },
  skip: {
    type: 'object',
    properties: { data: { type: 'object', description: "The skipped step's result, merged into the instance data" } },
    additionalProperties: false,
  },
  updateData: {
    type: 'object',
    properties: { patch: { type: 'object', description: 'Merged into the instance data (shallow); a key set to null is removed' } },
    required: ['patch'],
    additionalProperties: false,
  },
} satisfies Record<string, JsonSchema>;

const summary = {
  name: { type: 'string' },
  version: { type: 'string' },
  hash: { type: 'string', description: 'Hex SHA-256 of the canonical JSON source' },
  storedAt: { type: 'integer', description: 'Epoch ms of the first store (0 when not stored yet)' },
} satisfies Record<string, JsonSchema>;

const whereKnown = {
  loaded: { type: 'boolean', description: 'This server has it compiled' },
  stored: { type: 'boolean', description: 'Stored in the storage (false only for a registered version no instance has used yet)' },
} satisfies Record<string, JsonSchema>;

/** One version as `GET /definitions` lists it under `versions`. */
const versionInfo: JsonSchema = {
  type: 'object',
  properties: { version: summary.version, hash: summary.hash, storedAt: summary.storedAt, ...whereKnown },
  required: ['version', 'hash', 'storedAt', 'loaded', 'stored'],
};

const migrationPlan: JsonSchema = {
  type: 'object',
  description: 'Where each step record, task, timer and buffered signal of the instance goes',
  properties: {
    instanceId: { type: 'string' },
    definitionName: { type: 'string' },
    fromVersion: { type: 'string' },
    toVersion: { type: 'string' },
    state: { type: 'string' },
    steps: {
      type: 'array',
      items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, status: { type: 'string' }, open: { type: 'boolean' } } },
    },
    dropped: { type: 'array', items: { type: 'string' }, description: 'Completed steps the target lacks (their results stay in the data)' },
    tasks: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } } } },
    timers: { type: 'array', items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, kind: { type: 'string' }, fireAt: { type: 'integer' } } } },
    signals: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, waitingSteps: { type: 'array', items: { type: 'string' } } } } },
    unreachable: { type: 'array', items: { type: 'string' }, description: 'Steps of the target no route reaches any more' },
    applied: { type: 'boolean', description: 'True once committed; false for a dry run' },
  },
  required: ['instanceId', 'definitionName', 'fromVersion', 'toVersion', 'steps', 'applied'],
};

/** Answers of the new routes. */
export const definitionResponses = {
  /** An item of `GET /definitions`: the storable source plus what is known of its storage. */
  listed: {
    type: 'object',
    description: 'A definition version in its storable format (snake_case keys), with its hash and every version of its name',
    properties: {
      ...summary,
      ...whereKnown,
      steps: { type: 'object' },
      transitions: { type: 'array' },
      parallel_groups: {},
      versions: { type: 'array', items: versionInfo, description: 'Every version of this name, stored or known here, oldest version first' },
    },
    required: ['name', 'version', 'steps', 'hash', 'versions'],
  },
  deployed: {
    type: 'object',
    properties: {
      ...summary,
      created: { type: 'boolean', description: 'False when this exact content was already stored (nothing changed)' },
      unknownActions: { type: 'array', items: { type: 'string' }, description: 'Actions (and compensations) this server has not registered' },
    },
    required: ['name', 'version', 'hash', 'storedAt', 'created', 'unknownActions'],
  },
  version: {
    type: 'object',
    properties: { ...summary, definition: { type: 'object', description: 'The definition as stored (its storable format)' } },
    required: ['name', 'version', 'hash', 'storedAt', 'definition'],
  },
  plan: migrationPlan,
  page: {
    type: 'object',
    properties: {
      migrated: { type: 'array', items: migrationPlan, description: 'Instances of this page moved (or, in a dry run, that would move)' },
      refused: {
        type: 'array',
        items: { type: 'object', properties: { instanceId: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
        description: 'Instances that cannot move as asked, and why (nothing of them changed)',
      },
      nextCursor: { type: 'string', description: 'Present while more instances may follow: send it back as `cursor`' },
    },
    required: ['migrated', 'refused'],
  },
} satisfies Record<string, JsonSchema>;
