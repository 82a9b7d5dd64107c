/**
 * Each entry point exports what its audience needs and the root exports no internals: a re-added
 * `export { decide } ...` in index.ts fails here, not in a user's bundle.
 */
import { describe, expect, it } from '@jest/globals';

/** Internals that no entry exports (tests inside core import them by relative path). */
const INTERNALS = ['decide', 'startInstance', 'recoveryEffects', 'parseTaskId', 'compareVersions'];
/** Storage-author helpers: in `/storage-kit`, not in the root. */
const STORAGE_KIT = ['encodeCursor', 'decodeCursor', 'checkNewInstance', 'checkEventsEndAtSeq', 'commitInvalidError', 'runnableWork', 'isRunnable', 'checkStoredDefinition', 'sortSummaries', 'checkPayloadSize', 'checkMaxPayloadBytes', 'payloadTooLargeError', 'isPurgeable', 'purgeCandidate', 'comparePurgeCandidates', 'businessKeyIndexKey', 'checkBusinessKeyFree', 'matchesSearch'];
/** Adapter-author API: in `/http`, not in the root. */
const HTTP = ['createWorkflowApi', 'principalId', 'HttpError', 'HttpErrorCode', 'statusOf', 'toErrorResponse', 'buildOpenApi', 'runReadiness', 'storageCheck', 'STORAGE_CHECK', 'PROMETHEUS_CONTENT_TYPE', 'routeNotFoundMessage', 'ANONYMOUS', 'AUTH_REQUIRED_MESSAGE'];

describe('entry points', () => {
  it('the root exports the application API and no internals, HTTP layer or storage kit', async () => {
    const root = await import('./index.js');
    const keys = Object.keys(root);
    for (const name of [...INTERNALS, ...STORAGE_KIT, ...HTTP]) expect(keys).not.toContain(name);
    for (const name of [
      'WorkflowEngine', 'parseDefinition', 'workflow', 'WorkflowBuilder', 'ActionResult', 'ActionRegistry', 'WorkflowAction',
      'WorkflowError', 'isWorkflowError', 'ErrorCode', 'NotFoundError', 'ConcurrencyError', 'StorageCorruptError',
      'MemoryStorage', 'FileStorage', 'EncryptedStorage', 'InProcessRunner', 'systemClock', 'ManualClock',
      'Notifier', 'createChannel', 'consoleLogger', 'silentLogger', 'parseDuration', 'isTerminal', 'replayHistory', 'JsonLinesArchive', 'BusinessKeyTakenError',
    ]) {
      expect(keys).toContain(name);
    }
  });

  it('/http exports what an HTTP adapter author needs', async () => {
    const keys = Object.keys(await import('./http/index.js'));
    for (const name of HTTP) expect(keys).toContain(name);
    for (const name of INTERNALS) expect(keys).not.toContain(name);
  });

  it('/storage-kit exports what a storage author needs', async () => {
    const keys = Object.keys(await import('./storage-kit/index.js'));
    expect(keys.sort()).toEqual([...STORAGE_KIT].sort());
  });

  it('package.json declares each entry (types and import)', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { exports: Record<string, { types: string; import: string }> };
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './http', './inversify', './storage-kit', './testing']);
    for (const entry of Object.values(pkg.exports)) {
      expect(entry.types).toMatch(/^\.\/dist\/.*\.d\.ts$/);
      expect(entry.import).toMatch(/^\.\/dist\/.*\.js$/);
    }
  });
});
