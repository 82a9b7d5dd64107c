/**
 * The routes of definitions as durable data: list every version (stored or known here), deploy one
 * at run time, read one as stored, and migrate the instances of one version to another.
 */
import type { JsonObject, WorkflowDefinitionInput } from '../definition/definition.types.js';
import type { BulkMigrateOptions } from '../engine/definition-ops.types.js';
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import { NotFoundError } from '../errors.js';
import { ok } from './route-inputs.js';
import { definitionBodies, definitionParams, definitionResponses } from './route-schemas-definitions.js';
import { listOf } from './route-schemas.js';
import type { ResolvedResource, RouteSpec } from './route-spec.js';

const COMMON = [400, 401, 403, 500, 503];

/** The definition named in the path, for `authorize`. */
const namedDefinition = async (_engine: WorkflowEngine, params: Record<string, string>): Promise<ResolvedResource> => ({ resource: { definition: params.name! } });

/** `{ toVersion, stepMap?, dryRun? }` of a migrate body, with the actor. */
export function migrateOptions(body: Record<string, unknown>, by: { id: string; address?: string }): BulkMigrateOptions {
  return {
    toVersion: body.toVersion as string,
    ...(body.stepMap !== undefined ? { stepMap: body.stepMap as Record<string, string> } : {}),
    ...(body.dryRun !== undefined ? { dryRun: body.dryRun as boolean } : {}),
    ...(body.cursor !== undefined ? { cursor: body.cursor as string } : {}),
    ...(body.limit !== undefined ? { limit: body.limit as number } : {}),
    by,
  };
}

/**
 * The source of `name@version`: the compiled one's when this engine has it (`loaded`, no I/O; the
 * same content as stored), else the stored one.
 */
async function sourceOf(engine: WorkflowEngine, name: string, version: string, loaded: boolean): Promise<JsonObject | undefined> {
  if (loaded) {
    try {
      const def = engine.getDefinition(name, version);
      return { ...(def.source as unknown as JsonObject), version: def.version };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const stored = await engine.storage.getDefinition(name, version);
  return stored ? (JSON.parse(stored.source) as JsonObject) : undefined;
}

/** The routes, in the table's order. */
export const DEFINITION_ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/definitions',
    operation: 'definitions.list',
    summary: 'Every definition version, registered here or stored (deployed, or used by an instance), in its storable format with its hash',
    schema: { response: { 200: { ...listOf(definitionResponses.listed), description: 'The definitions, by name then version' } } },
    hasBody: false,
    errors: COMMON,
    async run({ engine }) {
      const versions = await engine.listDefinitionVersions();
      const byName = new Map<string, Array<Record<string, unknown>>>();
      for (const { name, version, hash, storedAt, loaded, stored } of versions) {
        let list = byName.get(name);
        if (!list) byName.set(name, (list = []));
        list.push({ version, hash, storedAt, loaded, stored });
      }
      const items = [];
      for (const info of versions) {
        const source = await sourceOf(engine, info.name, info.version, info.loaded);
        // Listed a moment ago; gone only if the storage dropped it since.
        if (!source) continue;
        items.push({ ...source, ...info, versions: byName.get(info.name) });
      }
      return ok({ items });
    },
  },
  {
    method: 'POST',
    path: '/definitions',
    operation: 'definitions.deploy',
    summary:
      'Deploy a definition (the body is the definition): validated fully, stored, runnable at once by name. 201 when stored now, ' +
      '200 when this exact content was already stored; 400 lists every problem and stores nothing; 409 when that version is stored with other content',
    schema: {
      body: definitionBodies.deploy,
      response: {
        201: { ...definitionResponses.deployed, description: 'Stored' },
        200: { ...definitionResponses.deployed, description: 'Already stored with this content: nothing changed' },
      },
    },
    hasBody: true,
    errors: [...COMMON, 409],
    resource: async (_engine, _params, _query, body) => ({ resource: typeof body.name === 'string' && body.name !== '' ? { definition: body.name } : {} }),
    async run({ engine, body, deploy, actor }) {
      const { definition: _compiled, ...deployed } = await engine.deployDefinition(body as unknown as WorkflowDefinitionInput, { allowUnknownActions: deploy.allowUnknownActions });
      // Who deployed what: a stored version has no history of its own, so the log keeps it.
      if (deployed.created) {
        engine.logger.info(
          { definition: deployed.name, version: deployed.version, hash: deployed.hash, by: actor.id, ...(actor.address ? { from: actor.address } : {}), unknownActions: deployed.unknownActions },
          `definition ${deployed.name}@${deployed.version} deployed over HTTP by ${actor.id}`,
        );
      }
      return { status: deployed.created ? 201 : 200, body: deployed };
    },
  },
  {
    method: 'GET',
    path: '/definitions/:name/versions/:version',
    operation: 'definitions.read',
    summary: 'One definition version as stored: its storable source, hash and when it was first stored',
    schema: { params: definitionParams.version, response: { 200: { ...definitionResponses.version, description: 'The version' } } },
    hasBody: false,
    errors: [...COMMON, 404],
    resource: namedDefinition,
    async run({ engine, params }) {
      const { name, version } = params as { name: string; version: string };
      const stored = await engine.storage.getDefinition(name, version);
      if (stored) return ok({ name, version, hash: stored.hash, storedAt: stored.storedAt, definition: JSON.parse(stored.source) as JsonObject });
      // Registered here, not stored yet (no instance has used it).
      const info = (await engine.listDefinitionVersions(name)).find((v) => v.version === version);
      const definition = info ? await sourceOf(engine, name, version, true) : undefined;
      if (!info || !definition) {
        const known = (await engine.listDefinitionVersions(name)).map((v) => v.version);
        throw new NotFoundError('definition', `${name}@${version}`, known.length ? `known versions: ${known.join(', ')}` : 'neither registered nor stored; deploy it with POST /definitions');
      }
      return ok({ name, version, hash: info.hash, storedAt: info.storedAt, definition });
    },
  },
  {
    method: 'POST',
    path: '/definitions/:name/versions/:version/migrate',
    operation: 'definitions.migrate',
    summary:
      'Migrate a page of the unfinished instances of this version to `toVersion` (each in one commit); `dryRun` plans only. ' +
      'Resumable: send `nextCursor` back as `cursor` until it is absent',
    schema: { params: definitionParams.version, body: definitionBodies.migrateAll, response: { 200: { ...definitionResponses.page, description: 'One page' } } },
    hasBody: true,
    errors: [...COMMON, 404, 409],
    resource: namedDefinition,
    run: async ({ engine, params, body, actor }) => ok(await engine.migrateInstances(params.name!, params.version!, migrateOptions(body, actor))),
  },
];
