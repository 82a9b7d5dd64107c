/**
 * The behaviour every HTTP adapter (Express, Fastify, NestJS...) must show, as a Jest suite each
 * adapter runs against its own client factory:
 * `runHttpContract('express', (options) => expressClient(createWorkflowRouter(options)))`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import type { AuthorizeHook, ReadinessCheck, WorkflowMetricsSource, WorkflowOperation, WorkflowPrincipal, WorkflowResource } from '../http/http.types.js';
import { silentLogger } from '../logger.js';
import type { HistoryEvent } from '../model/instance.types.js';
import { MemoryStorage } from '../storage/memory-storage.js';

/** Options the suite hands to the adapter: pass them to the adapter as they are. */
export interface HttpContractApiOptions {
  engine: WorkflowEngine;
  authorize?: AuthorizeHook;
  auth?: 'none';
  /** Set by the tests of `GET /metrics` with a custom source. */
  metrics?: WorkflowMetricsSource;
  /** Set by the tests of `GET /ready`. */
  readiness?: readonly ReadinessCheck[];
  /** Reads `x-user` (and `x-role`) headers: works on any request object with Node's `headers`. */
  principal: (request: { headers: IncomingHttpHeaders }) => WorkflowPrincipal | undefined;
}

/** A response as the client reports it: `body` parsed when JSON, else the text. */
export interface HttpContractResponse {
  status: number;
  // Tests read arbitrary fields of the answers.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

/** Options of one request: `body` is sent as JSON, `rawBody` as is (with `content-type: application/json` unless given). */
export interface HttpContractRequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A client of the routes mounted by the adapter; paths are relative to the mount point. */
export interface HttpContractClient {
  request(method: string, path: string, options?: HttpContractRequestOptions): Promise<HttpContractResponse>;
  /** Stop the server/app (the suite closes the engine itself). */
  close(): Promise<void>;
}

/** Builds the adapter over `options` and a client for it. */
export type HttpContractClientFactory = (options: HttpContractApiOptions) => Promise<HttpContractClient> | HttpContractClient;

const signalFlow: WorkflowDefinitionInput = {
  name: 'contract_signal',
  version: '1',
  input: { type: 'object', properties: { amount: { type: 'number' } } },
  steps: { prepare: { action: 'ok' }, wait: { action: 'wait_go' }, finish: { action: 'ok' } },
  transitions: [
    { from: 'prepare', to: 'wait' },
    { from: 'wait', to: 'finish' },
  ],
};
const approval: WorkflowDefinitionInput = {
  name: 'contract_approval',
  steps: { submit: { action: 'ok' }, approve: { action: 'ok', assigned_to: 'manager', config: { fields: ['approved'] } }, archive: { action: 'ok' } },
  transitions: [
    { from: 'submit', to: 'approve' },
    { from: 'approve', to: 'archive' },
  ],
};
const failing: WorkflowDefinitionInput = { name: 'contract_failing', steps: { explode: { action: 'boom' } } };
const quick: WorkflowDefinitionInput = { name: 'contract_quick', steps: { only: { action: 'ok' } } };

/** A fresh engine with the suite's definitions. */
function makeEngine(): WorkflowEngine {
  return new WorkflowEngine({
    storage: new MemoryStorage(),
    logger: silentLogger,
    actions: {
      ok: () => ActionResult.success(),
      wait_go: () => ActionResult.wait({ signal: 'go' }),
      boom: () => ActionResult.failure('boom', { retryable: false }),
    },
    definitions: [signalFlow, approval, failing, quick],
  });
}

/** `x-user` is the principal; with `x-role` it is `{ id, role }`. */
function headerPrincipal(request: { headers: IncomingHttpHeaders }): WorkflowPrincipal | undefined {
  const user = request.headers['x-user'];
  if (typeof user !== 'string' || user === '') return undefined;
  const role = request.headers['x-role'];
  return typeof role === 'string' ? { id: user, role } : user;
}

const ALICE = { 'x-user': 'alice' };

/**
 * Registers `describe("HTTP contract: <name>")`: every route, the error shape and status codes,
 * authentication and authorization, for the adapter built by `makeClient`.
 */
export function runHttpContract(name: string, makeClient: HttpContractClientFactory): void {
  describe(`HTTP contract: ${name}`, () => {
    const opened: Array<{ engine: WorkflowEngine; client: HttpContractClient }> = [];

    afterEach(async () => {
      for (const { engine, client } of opened.splice(0)) {
        await client.close();
        await engine.close();
      }
    });

    async function setup(options: { authorize?: AuthorizeHook; auth?: 'none'; metrics?: WorkflowMetricsSource; readiness?: readonly ReadinessCheck[] } = {}) {
      const engine = makeEngine();
      const apiOptions: HttpContractApiOptions = { engine, principal: headerPrincipal, ...options };
      if (!options.authorize && !options.auth) apiOptions.authorize = () => true;
      const client = await makeClient(apiOptions);
      opened.push({ engine, client });
      const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = ALICE) =>
        client.request(method, path, { ...(body !== undefined ? { body } : {}), headers });
      /** Start through the API and wait until it settles. */
      const started = async (definition: string, data: object = {}) => {
        const res = await call('POST', `/workflows/${definition}/instances`, { data });
        expect(res.status).toBe(201);
        return engine.waitFor(res.body.id as string);
      };
      return { engine, client, call, started };
    }

    function expectError(res: HttpContractResponse, status: number, code: string): void {
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
      expect(typeof res.body.error.message).toBe('string');
      expect(String(res.headers['content-type'])).toContain('application/json');
    }

    const historyOf = async (engine: WorkflowEngine, id: string, type: string): Promise<HistoryEvent | undefined> =>
      (await engine.getHistory(id)).find((e) => e.type === type);

    describe('POST /workflows/:name/instances', () => {
      it('starts an instance (201) recording who started it and from where', async () => {
        const { engine, call } = await setup();
        const res = await call('POST', '/workflows/contract_quick/instances', { data: { order: 1 } });
        expect(res.status).toBe(201);
        expect(String(res.headers['content-type'])).toContain('application/json');
        expect(res.body).toMatchObject({ definitionName: 'contract_quick', data: { order: 1 }, startedBy: 'alice' });
        const event = await historyOf(engine, res.body.id, 'workflow.started');
        expect(event?.data).toMatchObject({ by: 'alice' });
        expect(typeof event?.data?.from).toBe('string');
      });

      it('starts with no body at all, and a given version', async () => {
        const { client } = await setup();
        const bare = await client.request('POST', '/workflows/contract_quick/instances', { headers: ALICE });
        expect(bare.status).toBe(201);
        const versioned = await client.request('POST', '/workflows/contract_signal/instances', { body: { version: '1' }, headers: ALICE });
        expect(versioned.body).toMatchObject({ definitionVersion: '1' });
      });

      it('is idempotent: the same key answers 200 with the same instance', async () => {
        const { engine, call } = await setup();
        const first = await call('POST', '/workflows/contract_quick/instances', { idempotencyKey: 'order-42' });
        const second = await call('POST', '/workflows/contract_quick/instances', { idempotencyKey: 'order-42' });
        expect([first.status, second.status]).toEqual([201, 200]);
        expect(second.body.id).toBe(first.body.id);
        expect((await engine.listInstances()).items).toHaveLength(1);
      });

      it('answers 404 for an unknown definition or version', async () => {
        const { call } = await setup();
        expectError(await call('POST', '/workflows/nope/instances', {}), 404, 'WF_DEFINITION_NOT_FOUND');
        expectError(await call('POST', '/workflows/contract_quick/instances', { version: '9' }), 404, 'WF_DEFINITION_NOT_FOUND');
      });

      it("answers 400 for data that breaks the definition's input schema, storing nothing", async () => {
        const { engine, call } = await setup();
        const res = await call('POST', '/workflows/contract_signal/instances', { data: { amount: 'ten' } });
        expectError(res, 400, 'WF_INPUT_INVALID');
        expect((await engine.listInstances()).items).toHaveLength(0);
      });

      it('answers 400 with every issue for a body that breaks the route schema', async () => {
        const { call } = await setup();
        const res = await call('POST', '/workflows/contract_quick/instances', { data: 'x', idempotencyKey: 5, extra: true });
        expectError(res, 400, 'WF_INPUT_INVALID');
        const paths = (res.body.error.details.issues as Array<{ path: string }>).map((i) => i.path).sort();
        expect(paths).toEqual(['body', 'body.data', 'body.idempotencyKey']);
        expectError(await call('POST', '/workflows/contract_quick/instances', [1, 2]), 400, 'WF_INPUT_INVALID');
      });

      it('answers 400 WF_BAD_JSON for a body that is not JSON', async () => {
        const { engine, client } = await setup();
        const res = await client.request('POST', '/workflows/contract_quick/instances', {
          rawBody: '{"data": {',
          headers: { ...ALICE, 'content-type': 'application/json' },
        });
        expectError(res, 400, 'WF_BAD_JSON');
        expect((await engine.listInstances()).items).toHaveLength(0);
      });
    });

    it('answers 415 WF_UNSUPPORTED_MEDIA_TYPE for a body that is not declared JSON', async () => {
      const { engine, client, started } = await setup();
      const inst = await started('contract_signal');
      const res = await client.request('POST', `/instances/${inst.id}/signals/go`, { rawBody: 'approved=true', headers: { ...ALICE, 'content-type': 'text/plain' } });
      expectError(res, 415, 'WF_UNSUPPORTED_MEDIA_TYPE');
      expect((await engine.getInstance(inst.id)).state).toBe('WAITING');
    });

    it('accepts JSON sent as application/<subtype>+json', async () => {
      const { client } = await setup();
      const res = await client.request('POST', '/workflows/contract_quick/instances', {
        rawBody: JSON.stringify({ data: { via: 'vendor type' } }),
        headers: { ...ALICE, 'content-type': 'application/vnd.workflow+json' },
      });
      expect([res.status, res.body.data]).toEqual([201, { via: 'vendor type' }]);
    });

    describe('GET /instances', () => {
      it('lists with filters, a comma list of states, and cursor paging', async () => {
        const { call, started } = await setup();
        const a = await started('contract_quick');
        const b = await started('contract_quick');
        const w = await started('contract_signal');
        expect([a.state, b.state, w.state]).toEqual(['COMPLETED', 'COMPLETED', 'WAITING']);

        const all = await call('GET', '/instances');
        expect(all.status).toBe(200);
        expect(all.body.items.map((i: { id: string }) => i.id).sort()).toEqual([a.id, b.id, w.id].sort());

        const ids = (res: HttpContractResponse): string[] => res.body.items.map((i: { id: string }) => i.id);
        const asc = ids(await call('GET', '/instances?definition=contract_quick&order=asc'));
        const desc = ids(await call('GET', '/instances?definition=contract_quick&order=desc'));
        expect([...asc].sort()).toEqual([a.id, b.id].sort());
        expect(desc).toEqual([...asc].reverse());

        const states = await call('GET', '/instances?state=WAITING,FAILED');
        expect(states.body.items.map((i: { id: string }) => i.id)).toEqual([w.id]);

        const page1 = await call('GET', '/instances?limit=2');
        expect(page1.body.items).toHaveLength(2);
        expect(typeof page1.body.nextCursor).toBe('string');
        const page2 = await call('GET', `/instances?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`);
        expect(page2.body.items).toHaveLength(1);
        expect(page2.body.nextCursor).toBeUndefined();

        const future = new Date(Date.now() + 3_600_000).toISOString();
        expect((await call('GET', `/instances?createdAfter=${encodeURIComponent(future)}`)).body.items).toEqual([]);
        expect((await call('GET', `/instances?createdBefore=${Date.now() + 3_600_000}`)).body.items).toHaveLength(3);
      });

      it('answers 400 for bad filters', async () => {
        const { call } = await setup();
        expectError(await call('GET', '/instances?state=RUNNING,NAPPING'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?limit=0'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?limit=ten'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?order=up'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?createdAfter=yesterday'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?colour=red'), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/instances?cursor=%25%25%25'), 400, 'WF_INPUT_INVALID');
      });
    });

    describe('GET /instances/:id and /history', () => {
      it('reads an instance and its history', async () => {
        const { call, started } = await setup();
        const inst = await started('contract_quick', { n: 1 });
        const one = await call('GET', `/instances/${inst.id}`);
        expect(one.status).toBe(200);
        expect(one.body).toMatchObject({ id: inst.id, state: 'COMPLETED', data: { n: 1 } });
        const history = await call('GET', `/instances/${inst.id}/history`);
        expect(history.status).toBe(200);
        expect(history.body.items[0]).toMatchObject({ seq: 1, type: 'workflow.started' });
        expect(history.body.items.at(-1).type).toBe('workflow.completed');
      });

      it('answers 404 for an unknown instance', async () => {
        const { call } = await setup();
        expectError(await call('GET', '/instances/missing'), 404, 'WF_NOT_FOUND');
        expectError(await call('GET', '/instances/missing/history'), 404, 'WF_NOT_FOUND');
      });
    });

    describe('POST /instances/:id/signals/:signal', () => {
      it('delivers the payload to the waiting step, recording who sent it', async () => {
        const { engine, call, started } = await setup();
        const inst = await started('contract_signal');
        const res = await call('POST', `/instances/${inst.id}/signals/go`, { approved: true });
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(inst.id);
        const done = await engine.waitFor(inst.id);
        expect(done).toMatchObject({ state: 'COMPLETED', data: { approved: true } });
        expect((await historyOf(engine, inst.id, 'signal.received'))?.data).toMatchObject({ by: 'alice' });
      });

      it('answers 409 for a finished instance, 404 for an unknown one, 400 for a payload that is not an object', async () => {
        const { call, started } = await setup();
        const inst = await started('contract_quick');
        expectError(await call('POST', `/instances/${inst.id}/signals/go`, {}), 409, 'WF_ILLEGAL_TRANSITION');
        expectError(await call('POST', '/instances/missing/signals/go', {}), 404, 'WF_NOT_FOUND');
        expectError(await call('POST', `/instances/${inst.id}/signals/go`, ['x']), 400, 'WF_INPUT_INVALID');
      });
    });

    describe('POST /instances/:id/pause|resume|cancel|retry', () => {
      it('pauses, resumes and cancels (with a reason, recording who)', async () => {
        const { engine, call, started } = await setup();
        const inst = await started('contract_signal');
        const paused = await call('POST', `/instances/${inst.id}/pause`);
        expect([paused.status, paused.body.state]).toEqual([200, 'PAUSED']);
        const resumed = await call('POST', `/instances/${inst.id}/resume`, {});
        expect([resumed.status, resumed.body.state]).toEqual([200, 'WAITING']);
        const cancelled = await call('POST', `/instances/${inst.id}/cancel`, { reason: 'customer asked' });
        expect([cancelled.status, cancelled.body.state]).toEqual([200, 'CANCELLED']);
        expect((await historyOf(engine, inst.id, 'workflow.cancelled'))?.data).toMatchObject({ reason: 'customer asked', by: 'alice' });
        expect((await historyOf(engine, inst.id, 'workflow.paused'))?.data).toMatchObject({ by: 'alice' });
      });

      it('retries a FAILED instance', async () => {
        const { engine, call, started } = await setup();
        const inst = await started('contract_failing');
        expect(inst.state).toBe('FAILED');
        const res = await call('POST', `/instances/${inst.id}/retry`);
        expect(res.status).toBe(200);
        expect((await historyOf(engine, inst.id, 'workflow.retried'))?.data).toMatchObject({ by: 'alice' });
      });

      it('answers 409 for an illegal move (resume a COMPLETED instance) and changes nothing', async () => {
        const { engine, call, started } = await setup();
        const inst = await started('contract_quick');
        expectError(await call('POST', `/instances/${inst.id}/resume`), 409, 'WF_ILLEGAL_TRANSITION');
        expectError(await call('POST', `/instances/${inst.id}/cancel`, {}), 409, 'WF_ILLEGAL_TRANSITION');
        expectError(await call('POST', `/instances/${inst.id}/retry`), 409, 'WF_ILLEGAL_TRANSITION');
        expect((await engine.getInstance(inst.id)).version).toBe(inst.version);
      });

      it('answers 404 for an unknown instance and 400 for a bad body', async () => {
        const { call, started } = await setup();
        for (const command of ['pause', 'resume', 'cancel', 'retry']) {
          expectError(await call('POST', `/instances/missing/${command}`), 404, 'WF_NOT_FOUND');
        }
        const inst = await started('contract_signal');
        expectError(await call('POST', `/instances/${inst.id}/cancel`, { reason: 42 }), 400, 'WF_INPUT_INVALID');
        expectError(await call('POST', `/instances/${inst.id}/pause`, { force: true }), 400, 'WF_INPUT_INVALID');
      });
    });

    describe('human tasks', () => {
      it('lists, reads, claims and completes a task, recording who completed it', async () => {
        const { engine, call, started } = await setup();
        const inst = await started('contract_approval');
        expect(inst.state).toBe('WAITING');

        const list = await call('GET', '/tasks?assignedTo=manager');
        expect(list.status).toBe(200);
        expect(list.body.items).toHaveLength(1);
        const task = list.body.items[0];
        expect(task).toMatchObject({ instanceId: inst.id, stepId: 'approve', state: 'OPEN', assignedTo: 'manager', form: { fields: ['approved'] } });
        expect((await call('GET', '/tasks?assignedTo=legal')).body.items).toEqual([]);
        expect((await call('GET', `/tasks?instanceId=${inst.id}&definition=contract_approval&state=OPEN,CLAIMED`)).body.items).toHaveLength(1);
        expect((await call('GET', `/tasks/${task.id}`)).body).toMatchObject({ id: task.id, state: 'OPEN' });

        const claimed = await call('POST', `/tasks/${task.id}/claim`);
        expect([claimed.status, claimed.body.state, claimed.body.claimedBy]).toEqual([200, 'CLAIMED', 'alice']);
        expectError(await call('POST', `/tasks/${task.id}/complete`, { data: {} }, { 'x-user': 'bob' }), 409, 'WF_ILLEGAL_TRANSITION');

        const completed = await call('POST', `/tasks/${task.id}/complete`, { data: { approved: true } });
        expect(completed.status).toBe(200);
        expect(completed.body.id).toBe(inst.id);
        const done = await engine.waitFor(inst.id);
        expect(done).toMatchObject({ state: 'COMPLETED', data: { approved: true } });
        expect((await historyOf(engine, inst.id, 'task.completed'))?.data).toMatchObject({ by: 'alice' });
        expect((await call('GET', '/tasks?state=COMPLETED')).body.items).toHaveLength(1);
      });

      it('answers 409 for a closed task, 404 for an unknown one, 400 for bad input', async () => {
        const { call, started } = await setup();
        const inst = await started('contract_approval');
        const taskId = `${inst.id}.approve.1`;
        expect((await call('POST', `/instances/${inst.id}/cancel`)).status).toBe(200);
        expectError(await call('POST', `/tasks/${taskId}/complete`, { data: { approved: true } }), 409, 'WF_ILLEGAL_TRANSITION');
        expectError(await call('POST', `/tasks/${taskId}/claim`), 409, 'WF_ILLEGAL_TRANSITION');
        expectError(await call('POST', '/tasks/nope.approve.1/complete', {}), 404, 'WF_NOT_FOUND');
        expectError(await call('POST', '/tasks/nope/claim'), 404, 'WF_NOT_FOUND');
        expectError(await call('GET', '/tasks/nope'), 404, 'WF_NOT_FOUND');
        expectError(await call('POST', `/tasks/${taskId}/complete`, { data: [1] }), 400, 'WF_INPUT_INVALID');
        expectError(await call('GET', '/tasks?state=DONE'), 400, 'WF_INPUT_INVALID');
      });
    });

    describe('GET /definitions, /health, /metrics, /openapi.json', () => {
      it('lists definitions in their storable format', async () => {
        const { call } = await setup();
        const res = await call('GET', '/definitions');
        expect(res.status).toBe(200);
        const approvalDef = res.body.items.find((d: { name: string }) => d.name === 'contract_approval');
        expect(approvalDef).toMatchObject({ version: '1', steps: { approve: { action: 'ok', assigned_to: 'manager' } }, transitions: approval.transitions });
        expect(res.body.items.map((d: { name: string }) => d.name).sort()).toEqual(['contract_approval', 'contract_failing', 'contract_quick', 'contract_signal']);
      });

      it('reports health', async () => {
        const { call } = await setup();
        const res = await call('GET', '/health');
        expect([res.status, res.body]).toEqual([200, { status: 'ok' }]);
      });

      it('serves Prometheus text with instance counts per state', async () => {
        const { call, started } = await setup();
        await started('contract_quick');
        await started('contract_signal');
        const res = await call('GET', '/metrics');
        expect(res.status).toBe(200);
        expect(String(res.headers['content-type'])).toMatch(/^text\/plain; ?version=0\.0\.4/);
        expect(typeof res.body).toBe('string');
        expect(res.body).toContain('# TYPE workflow_instances gauge');
        expect(res.body).toContain('workflow_instances{state="COMPLETED"} 1');
        expect(res.body).toContain('workflow_instances{state="WAITING"} 1');
        expect(res.body).toContain('workflow_instances{state="FAILED"} 0');
      });

      it('reports readiness: storage and the configured checks (200), or 503 naming the failing check', async () => {
        let queueUp = true;
        const { call } = await setup({ readiness: [{ name: 'queue', check: async () => { if (!queueUp) throw new Error('queue connection refused'); } }] });
        const ready = await call('GET', '/ready');
        expect(ready.status).toBe(200);
        expect(String(ready.headers['content-type'])).toContain('application/json');
        expect(ready.body).toMatchObject({ status: 'ok', checks: [{ name: 'storage', status: 'ok' }, { name: 'queue', status: 'ok' }] });
        queueUp = false;
        const down = await call('GET', '/ready');
        expectError(down, 503, 'WF_UNAVAILABLE');
        expect(down.body.error.message).toBe('Not ready: check "queue" failed: queue connection refused');
        expect(down.body.error.details.checks).toEqual([
          expect.objectContaining({ name: 'storage', status: 'ok' }),
          expect.objectContaining({ name: 'queue', status: 'failed', error: 'queue connection refused' }),
        ]);
        expect((await call('GET', '/health')).status).toBe(200);
      });

      it('serves a configured metrics source, with its content type', async () => {
        let scrapes = 0;
        const { call } = await setup({
          metrics: { contentType: 'text/plain; version=0.0.4; charset=utf-8', metrics: async () => `# TYPE workflow_started_total counter\nworkflow_started_total{workflow="contract_quick"} ${++scrapes}\n` },
        });
        const first = await call('GET', '/metrics');
        expect(first.status).toBe(200);
        expect(String(first.headers['content-type'])).toMatch(/^text\/plain; ?version=0\.0\.4/);
        expect(first.body).toBe('# TYPE workflow_started_total counter\nworkflow_started_total{workflow="contract_quick"} 1\n');
        expect((await call('GET', '/metrics')).body).toContain('workflow_started_total{workflow="contract_quick"} 2');
        expect(first.body).not.toContain('workflow_instances{');
      });

      it('serves an OpenAPI 3.1 document listing every route', async () => {
        const { call } = await setup();
        const res = await call('GET', '/openapi.json');
        expect(res.status).toBe(200);
        expect(res.body.openapi).toMatch(/^3\.1\./);
        expect(res.body.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
        const expected: Array<[string, string]> = [
          ['post', '/workflows/{name}/instances'],
          ['get', '/instances'],
          ['get', '/instances/{id}'],
          ['get', '/instances/{id}/history'],
          ['post', '/instances/{id}/signals/{signal}'],
          ['post', '/instances/{id}/pause'],
          ['post', '/instances/{id}/resume'],
          ['post', '/instances/{id}/cancel'],
          ['post', '/instances/{id}/retry'],
          ['get', '/tasks'],
          ['post', '/tasks/{id}/claim'],
          ['post', '/tasks/{id}/complete'],
          ['get', '/definitions'],
          ['get', '/health'],
          ['get', '/ready'],
          ['get', '/metrics'],
          ['get', '/openapi.json'],
        ];
        for (const [method, path] of expected) {
          const op = res.body.paths[path]?.[method];
          expect({ path, method, ok: typeof op?.operationId === 'string' && typeof op?.responses === 'object' }).toEqual({ path, method, ok: true });
        }
        const startOp = res.body.paths['/workflows/{name}/instances'].post;
        expect(startOp.requestBody.content['application/json'].schema.properties).toHaveProperty('idempotencyKey');
        expect(startOp.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'name', in: 'path', required: true })]));
      });
    });

    describe('authentication and authorization', () => {
      it('answers 401 WF_UNAUTHENTICATED without a principal, and starts nothing', async () => {
        const { engine, call } = await setup();
        expectError(await call('GET', '/instances', undefined, {}), 401, 'WF_UNAUTHENTICATED');
        expectError(await call('POST', '/workflows/contract_quick/instances', {}, {}), 401, 'WF_UNAUTHENTICATED');
        expectError(await call('POST', '/workflows/contract_quick/instances', { bad: 1 }, {}), 401, 'WF_UNAUTHENTICATED');
        expect((await engine.listInstances()).items).toHaveLength(0);
      });

      it('answers 403 WF_FORBIDDEN when authorize refuses, and nothing changes', async () => {
        const calls: Array<[WorkflowPrincipal, WorkflowOperation, WorkflowResource]> = [];
        const { engine, call } = await setup({
          authorize: (principal, operation, resource) => {
            calls.push([principal, operation, resource]);
            return typeof principal === 'object' && principal.role === 'admin';
          },
        });
        const admin = { 'x-user': 'root', 'x-role': 'admin' };
        const viewer = { 'x-user': 'eve', 'x-role': 'viewer' };

        expectError(await call('POST', '/workflows/contract_signal/instances', {}, viewer), 403, 'WF_FORBIDDEN');
        expect((await engine.listInstances()).items).toHaveLength(0);
        expect(calls.at(-1)).toEqual([{ id: 'eve', role: 'viewer' }, 'instances.start', { definition: 'contract_signal' }]);

        const created = await call('POST', '/workflows/contract_signal/instances', {}, admin);
        expect(created.status).toBe(201);
        expect(created.body.startedBy).toBe('root');
        const inst = await engine.waitFor(created.body.id);

        expectError(await call('POST', `/instances/${inst.id}/cancel`, {}, viewer), 403, 'WF_FORBIDDEN');
        expect(calls.at(-1)).toEqual([{ id: 'eve', role: 'viewer' }, 'instances.cancel', { definition: 'contract_signal', instanceId: inst.id }]);
        expectError(await call('POST', `/instances/${inst.id}/signals/go`, {}, viewer), 403, 'WF_FORBIDDEN');
        expect((await engine.getInstance(inst.id))).toMatchObject({ state: 'WAITING', version: inst.version });

        // A refused principal learns nothing about which ids exist.
        expectError(await call('GET', '/instances/missing', undefined, viewer), 403, 'WF_FORBIDDEN');
        expectError(await call('GET', '/instances/missing', undefined, admin), 404, 'WF_NOT_FOUND');
        expectError(await call('GET', '/openapi.json', undefined, viewer), 403, 'WF_FORBIDDEN');
      });

      it("opens every route without a principal with auth: 'none'", async () => {
        const { engine, call } = await setup({ auth: 'none' });
        const res = await call('POST', '/workflows/contract_quick/instances', {}, {});
        expect(res.status).toBe(201);
        expect(res.body.startedBy).toBe('anonymous');
        expect((await call('GET', `/instances/${res.body.id}`, undefined, {})).status).toBe(200);
        await engine.waitFor(res.body.id);
      });
    });
  });
}
