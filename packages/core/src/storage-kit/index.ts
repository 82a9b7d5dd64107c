/**
 * `@workflow-mastery/core/storage-kit`: the helpers a `StorageAdapter` author needs beyond
 * the contract itself, so every storage pages, checks commits and indexes runnable work the way
 * the built-in ones do. The contract (`StorageAdapter`, `Commit`, `InstanceRecord`...) and the
 * errors a storage raises (`ConcurrencyError`, `StorageCorruptError`, `WorkflowError` with
 * `ErrorCode.PayloadTooLarge`...) are in the root entry, `@workflow-mastery/core`; the
 * conformance suite is in `@workflow-mastery/core/testing`.
 *
 * ```ts
 * import type { StorageAdapter } from '@workflow-mastery/core';
 * import { checkNewInstance, encodeCursor, runnableWork } from '@workflow-mastery/core/storage-kit';
 * ```
 * @packageDocumentation
 */
/** Opaque `InstanceQuery.cursor` values: the last row's `(createdAt, id)` of a page. */
export { encodeCursor, decodeCursor, type CursorKey } from '../storage/instance-cursor.js';
/** Checks every storage makes on a commit before writing it. */
export { checkNewInstance, checkEventsEndAtSeq, commitInvalidError } from '../storage/commit-checks.js';
/** The size limit (`maxPayloadBytes`) on what a storage writes. */
export { checkPayloadSize, checkMaxPayloadBytes, payloadTooLargeError } from '../storage/payload-checks.js';
/** Which attempts of a record are runnable: what a storage indexes as claimable work. */
export { runnableWork, isRunnable, type RunnableWork } from '../model/runnable-work.js';
/** The checks and ordering of a definition store (`saveDefinition`, `listDefinitions`). */
export { checkStoredDefinition, sortSummaries } from '../storage/definition-store.js';
/** Retention, business keys and search attributes, decided alike by every storage. */
export {
  isPurgeable,
  purgeCandidate,
  comparePurgeCandidates,
  businessKeyIndexKey,
  checkBusinessKeyFree,
  matchesSearch,
} from '../storage/retention-checks.js';
