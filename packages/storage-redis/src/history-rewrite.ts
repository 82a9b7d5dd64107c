/** {@link RedisStorage.rewriteHistory}: events of a history list replaced by one script. */
import { ErrorCode, WorkflowError, type HistoryRewrite } from '@workflow-mastery/core';
import type { Redis } from 'ioredis';
import type { ScriptCommands } from './redis-scripts.js';
import { parseHistory } from './stored-values.js';

const MAX_TRIES = 5;

/**
 * Reads the events, builds each one anew with its new `data` (the rest as stored), and replaces
 * them in one script, each only if it still holds what was read; reads again when one changed
 * meanwhile. Seqs past the end of the list are skipped.
 * @throws WorkflowError (WF_CONCURRENCY) when the events kept changing.
 */
export async function rewriteHistoryList(
  redis: Redis & ScriptCommands,
  key: string,
  instanceId: string,
  rewrites: HistoryRewrite[],
  run: <T>(work: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const valid = rewrites.filter((r) => Number.isInteger(r.seq) && r.seq >= 1);
  if (valid.length === 0) return;
  const seqs = valid.map((r) => r.seq);
  const first = Math.min(...seqs);
  const last = Math.max(...seqs);
  for (let tries = 1; ; tries++) {
    const raws = await run(() => redis.lrange(key, first - 1, last - 1));
    const args: string[] = [];
    for (const { seq, data } of valid) {
      const raw = raws[seq - first];
      if (raw === undefined) continue;
      const [event] = parseHistory([raw], seq - 1, key);
      args.push(String(seq - 1), raw, JSON.stringify({ ...event, data }));
    }
    if (args.length === 0) return;
    const changed = await run(() => redis.wmStorageRewriteHistory(key, ...args));
    if (Number(changed) === 0) return;
    if (tries >= MAX_TRIES) {
      throw new WorkflowError(ErrorCode.Concurrency, `The history of instance ${instanceId} kept changing while it was rewritten; run the rewrite again.`, { instanceId });
    }
  }
}
