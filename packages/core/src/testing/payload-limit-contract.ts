/**
 * The payload limit, end to end on a storage: data over the limit is refused where it enters the
 * engine (`WF_PAYLOAD_TOO_LARGE`, nothing stored), and a step result over it fails that attempt
 * for good (no retry, no re-run), routed as a failure with its compensation, whether the engine
 * caught it or the storage refused to record it.
 */
import { describe, expect, it } from '@jest/globals';
import { ActionResult } from '../actions/action-result.js';
import type { WorkflowDefinitionInput } from '../definition/definition.types.js';
import { WorkflowEngine } from '../engine/workflow-engine.js';
import { silentLogger } from '../logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/** The storage's limit in these tests: small, so the values over it stay small. */
export const CONTRACT_PAYLOAD_LIMIT = 65_536;

/** Opens a fresh (empty) storage whose `maxPayloadBytes` is `limit`. */
export type OpenLimitedStorage = (limit: number) => StorageAdapter | Promise<StorageAdapter>;

const definition: WorkflowDefinitionInput = {
  name: 'payload-limit',
  steps: {
    reserve: { action: 'reserve', compensation: 'release' },
    big: { action: 'big', retry_attempts: 3, retry_delay: 0 },
  },
  transitions: [{ from: 'reserve', to: 'big' }],
  error_handling: { on_failure: 'compensate' },
};

/** Runs the payload-limit contract on the storage `open` makes. */
export function runPayloadLimitContract(name: string, open: OpenLimitedStorage): void {
  describe(`payload limit: ${name}`, () => {
    const engineOn = async (storage: StorageAdapter, maxPayloadBytes?: number) => {
      const calls = { big: 0, release: 0 };
      const engine = new WorkflowEngine({ storage, logger: silentLogger, ...(maxPayloadBytes !== undefined ? { maxPayloadBytes } : {}) });
      engine.registerAction('reserve', () => ActionResult.success({ reserved: true }));
      engine.registerAction('release', () => {
        calls.release++;
        return ActionResult.success();
      });
      engine.registerAction('big', () => {
        calls.big++;
        return ActionResult.success({ blob: 'x'.repeat(CONTRACT_PAYLOAD_LIMIT + 1) });
      });
      engine.registerDefinition(definition);
      await engine.ready;
      return { engine, calls };
    };

    it('fails a step whose result is over the limit once, not retried, and compensates', async () => {
      const storage = await open(CONTRACT_PAYLOAD_LIMIT);
      const { engine, calls } = await engineOn(storage);
      try {
        expect(engine.storage.maxPayloadBytes).toBe(CONTRACT_PAYLOAD_LIMIT);
        const inst = await engine.waitFor((await engine.start('payload-limit')).id, { until: 'terminal', timeoutMs: 10_000 });
        expect(inst.state).toBe('FAILED');
        expect(inst.error).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', stepId: 'big' });
        expect(inst.error!.message).toContain(`${CONTRACT_PAYLOAD_LIMIT} bytes`);
        expect(inst.error!.message).toContain('step "big"');
        expect(calls).toEqual({ big: 1, release: 1 });
      } finally {
        await engine.close();
      }
    });

    it('records a result the storage refuses as a failure of that attempt (engine limit above the storage\'s)', async () => {
      const storage = await open(CONTRACT_PAYLOAD_LIMIT);
      const { engine, calls } = await engineOn(storage, 16 * CONTRACT_PAYLOAD_LIMIT);
      try {
        const inst = await engine.waitFor((await engine.start('payload-limit')).id, { until: 'terminal', timeoutMs: 10_000 });
        expect(inst.state).toBe('FAILED');
        expect(inst.error).toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', stepId: 'big' });
        expect(inst.error!.message).toContain(`${CONTRACT_PAYLOAD_LIMIT} bytes`);
        expect(calls).toEqual({ big: 1, release: 1 });
        expect(inst.compensation).toMatchObject({ status: 'COMPLETED' });
      } finally {
        await engine.close();
      }
    });

    it('refuses start data, a signal payload and a data patch over the limit, storing nothing', async () => {
      const storage = await open(CONTRACT_PAYLOAD_LIMIT);
      const { engine } = await engineOn(storage);
      const blob = 'x'.repeat(CONTRACT_PAYLOAD_LIMIT);
      try {
        await expect(engine.start('payload-limit', { blob })).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', message: expect.stringContaining('start data') });
        expect((await engine.listInstances()).items).toHaveLength(0);
        const inst = await engine.start('payload-limit', { small: 1 });
        await expect(engine.signal(inst.id, 'go', { blob })).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', message: expect.stringContaining('payload of signal "go"') });
        await expect(engine.updateData(inst.id, { blob })).rejects.toMatchObject({ code: 'WF_PAYLOAD_TOO_LARGE', message: expect.stringContaining(`${CONTRACT_PAYLOAD_LIMIT} bytes`) });
      } finally {
        await engine.close();
      }
    });
  });
}
