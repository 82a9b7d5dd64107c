/**
 * `commitMany` of {@link RedisStorage}: the commits' scripts in one pipeline (one round trip), each
 * succeeding or failing on its own. A malformed commit fails alone, before anything is sent.
 */
import type { Commit } from '@workflow-mastery/core';
import type { Redis } from 'ioredis';
import { redisLostError } from './redis-connection.js';
import type { RedisKeys } from './redis-keys.js';
import type { ScriptPipeline } from './redis-scripts.js';
import { commitArgs, commitError, type ScriptReply } from './script-args.js';

/** Runs Redis commands once the storage is open (the storage's error handling). */
type Run = <T>(work: () => Promise<T>) => Promise<T>;

/** One entry per commit: `undefined` or its error. `where` names Redis in connection errors. */
export async function commitPipelined(redis: Redis, keys: RedisKeys, commits: Commit[], limit: number, run: Run, where: string): Promise<Array<Error | undefined>> {
  const results: Array<Error | undefined> = commits.map(() => undefined);
  const sent: Array<{ index: number; args: Array<string | number> }> = [];
  commits.forEach((commit, index) => {
    try {
      sent.push({ index, args: commitArgs(keys, commit, limit) });
    } catch (error) {
      results[index] = error instanceof Error ? error : new Error(String(error));
    }
  });
  if (sent.length === 0) return results;
  const replies = await run(() => {
    const pipeline = redis.pipeline() as ScriptPipeline;
    for (const { args } of sent) pipeline.wmStorageCommit(...args);
    return pipeline.exec();
  });
  sent.forEach(({ index }, k) => {
    const [error, reply] = replies?.[k] ?? [new Error('Redis returned no reply for this commit'), undefined];
    results[index] = error ? (redisLostError(where, error) as Error) : commitError(commits[index]!, reply as ScriptReply);
  });
  return results;
}
