/** The fixtures of core's HTTP contract suite: its definitions and engine, and the per-test setup. */
import { afterEach, expect } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { WorkflowEngine, type WorkflowEngineOptions } from '../engine/workflow-engine.js';
import type { AuthorizeHook, ReadinessCheck, WorkflowMetricsSource, WorkflowPrincipal } from '../http/http.types.js';
import { silentLogger } from '../logger.js';
import type { HistoryEvent } from '../model/instance.types.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpContractApiOptions, HttpContractClient, HttpContractClientFactory, HttpContractResponse } from './http-contract-types.js';

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
export const approval: WorkflowDefinitionInput = {
  name: 'contract_approval',
  steps: { submit: { action: 'ok' }, approve: { action: 'ok', assigned_to: 'manager', config: { fields: ['approved'] } }, archive: { action: 'ok' } },
  transitions: [
    { from: 'submit', to: 'approve' },
    { from: 'approve', to: 'archive' },
  ],
};
const failing: WorkflowDefinitionInput = { name: 'contract_failing', steps: { explode: { action: 'boom' } } };
const quick: WorkflowDefinitionInput = { name: 'contract_quick', steps: { only: { action: 'ok' } } };

/** Engine options a test may set (the suite's storage, actions and definitions otherwise). */
export type ContractEngineOptions = Pick<WorkflowEngineOptions, 'storage' | 'retention' | 'purge' | 'clock'>;

/**
 * A fresh engine (memory storage unless `options.storage`) with the suite's definitions:
 * `contract_quick`, `contract_signal`, `contract_approval`, `contract_failing`.
 */
export function makeContractEngine(options: ContractEngineOptions = {}): WorkflowEngine {
  return new WorkflowEngine({
    storage: new MemoryStorage(),
    ...options,
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

export const ALICE = { 'x-user': 'alice' };

/** What the API options of one test may set (the rest comes from the suite). */
export interface ContractSetupOptions {
  authorize?: AuthorizeHook;
  auth?: 'none';
  metrics?: WorkflowMetricsSource;
  readiness?: readonly ReadinessCheck[];
  deploy?: { allowUnknownActions?: boolean };
  /** Options of the test's engine (a retention, a storage that cannot purge). */
  engine?: ContractEngineOptions;
}

/** The helpers every case file of the suite uses. */
export interface ContractHarness {
  /** A fresh engine and adapter; `call` sends JSON as alice, `started` starts through the API and waits until it settles. */
  setup(options?: ContractSetupOptions): Promise<{
    engine: WorkflowEngine;
    client: HttpContractClient;
    call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpContractResponse>;
    started(definition: string, data?: object): ReturnType<WorkflowEngine['waitFor']>;
  }>;
  /** The API's error: the status, `{ error: { code, message } }`, as JSON. */
  expectError(res: HttpContractResponse, status: number, code: string): void;
  /** The first history event of `type`. */
  historyOf(engine: WorkflowEngine, id: string, type: string): Promise<HistoryEvent | undefined>;
}

/** The harness over `makeClient`; call inside the suite's `describe` (it registers an `afterEach` closing what tests opened). */
export function contractHarness(makeClient: HttpContractClientFactory): ContractHarness {
  const opened: Array<{ engine: WorkflowEngine; client: HttpContractClient }> = [];

  afterEach(async () => {
    for (const { engine, client } of opened.splice(0)) {
      await client.close();
      await engine.close();
    }
  });

  async function setup({ engine: engineOptions, ...options }: ContractSetupOptions = {}) {
    const engine = makeContractEngine(engineOptions);
    const apiOptions: HttpContractApiOptions = { engine, principal: headerPrincipal, ...options };
    if (!options.authorize && !options.auth) apiOptions.authorize = () => true;
    const client = await makeClient(apiOptions);
    opened.push({ engine, client });
    const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = ALICE) =>
      client.request(method, path, { ...(body !== undefined ? { body } : {}), headers });
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

  return { setup, expectError, historyOf };
}
