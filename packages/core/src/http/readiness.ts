/**
 * `GET /health` and `GET /ready`: storage reachability (liveness plus storage) and the readiness
 * checks (storage first, then the ones given), each bounded by a timeout.
 */
import type { WorkflowEngine } from '../engine/workflow-engine.js';
import { ErrorCode, isWorkflowError, WorkflowError } from '../errors.js';
import { HttpError, HttpErrorCode } from './http-errors.js';
import type { ReadinessCheck } from './http.types.js';

/** The outcome of one check, as `GET /ready` reports it. */
export interface ReadinessResult {
  name: string;
  status: 'ok' | 'failed';
  /** Milliseconds the check took (up to the timeout). */
  durationMs: number;
  /** Why it failed. */
  error?: string;
}

/** Name of the built-in check that `GET /ready` always runs first. */
export const STORAGE_CHECK = 'storage';

/** Rejects with `no answer within N ms` (`WF_TIMEOUT`) when `promise` takes longer than `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new WorkflowError(ErrorCode.Timeout, `no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The storage check: one cheap read through the engine (which also waits for its startup). */
export function storageCheck(engine: WorkflowEngine): ReadinessCheck {
  return { name: STORAGE_CHECK, check: async () => void (await engine.listInstances({ limit: 1 })) };
}

/** Throws 503 `WF_UNAVAILABLE` when storage does not answer in time (`WF_ENGINE_CLOSED` as is). */
export async function assertStorageReachable(engine: WorkflowEngine, timeoutMs: number): Promise<void> {
  try {
    await withTimeout(storageCheck(engine).check(), timeoutMs);
  } catch (error) {
    if (isWorkflowError(error) && error.code === ErrorCode.EngineClosed) throw error;
    throw new HttpError(HttpErrorCode.Unavailable, `Storage is not reachable: ${messageOf(error)}`);
  }
}

/**
 * Runs every check at once, each bounded by `timeoutMs`; returns them all when they pass, throws
 * 503 `WF_UNAVAILABLE` naming the failed ones (details: every result) when one does not.
 */
export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs: number): Promise<ReadinessResult[]> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<ReadinessResult> => {
      const started = Date.now();
      try {
        await withTimeout(Promise.resolve().then(() => check()), timeoutMs);
        return { name, status: 'ok', durationMs: Date.now() - started };
      } catch (error) {
        return { name, status: 'failed', durationMs: Date.now() - started, error: messageOf(error) };
      }
    }),
  );
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    const why = failed.map((r) => `check "${r.name}" failed: ${r.error}`).join('; ');
    throw new HttpError(HttpErrorCode.Unavailable, `Not ready: ${why}`, { checks: results });
  }
  return results;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
