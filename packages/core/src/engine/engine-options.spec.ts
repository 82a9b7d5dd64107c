import { describe, expect, it } from '@jest/globals';
import { silentLogger } from '../logger.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { resolveEngineOptions } from './engine-options.js';
import { InProcessRunner } from './in-process-runner.js';

describe('resolveEngineOptions', () => {
  it('fills in the defaults once', () => {
    const s = resolveEngineOptions({ logger: silentLogger });
    expect(s).toMatchObject({ shutdownTimeoutMs: 10_000, leaseMs: 30_000, pollIntervalMs: 500, poll: true, recover: true, groupCommit: false, shared: false });
    expect(s.storage).toBeInstanceOf(MemoryStorage);
    expect(s.runner).toBeInstanceOf(InProcessRunner);
    expect(s.owner).toMatch(/^.+\/\d+\/[0-9a-f]{8}$/);
    expect(typeof s.generateId()).toBe('string');
  });

  it('turns group commit on for a storage that writes many commits at once, with the options given', () => {
    const storage = new MemoryStorage();
    expect(resolveEngineOptions({ storage, groupCommit: true }).groupCommit).toEqual({});
    expect(resolveEngineOptions({ storage, groupCommit: { maxBatch: 8 } }).groupCommit).toEqual({ maxBatch: 8 });
    expect(resolveEngineOptions({ storage, groupCommit: false }).groupCommit).toBe(false);
  });

  it('refuses a bad duration, naming the option', () => {
    expect(() => resolveEngineOptions({ leaseMs: 0 })).toThrow(expect.objectContaining({ code: 'WF_INPUT_INVALID', message: expect.stringContaining('leaseMs') }));
    expect(() => resolveEngineOptions({ pollIntervalMs: Number.NaN })).toThrow(expect.objectContaining({ message: expect.stringContaining('pollIntervalMs') }));
    expect(() => resolveEngineOptions({ shutdownTimeoutMs: -1 })).toThrow(expect.objectContaining({ message: expect.stringContaining('shutdownTimeoutMs') }));
  });
});
