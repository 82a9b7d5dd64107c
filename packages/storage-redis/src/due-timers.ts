/** `dueTimers` of {@link RedisStorage}: the `timers` sorted set read by score (fireAt). */
import type { DueTimer } from '@workflow-mastery/core';
import type { Redis } from 'ioredis';
import { parseTimerMember } from './work-items.js';

const scoreArg = (n: number): string => (Number.isFinite(n) ? String(n) : n > 0 ? '+inf' : '-inf');

/** Timers of sorted set `key` due at or before `before`, by fireAt, then instance id, then timer id. */
export async function readDueTimers(redis: Redis, key: string, before: number, limit?: number): Promise<DueTimer[]> {
  const members =
    limit === undefined
      ? await redis.zrangebyscore(key, '-inf', scoreArg(before))
      : await redis.zrangebyscore(key, '-inf', scoreArg(before), 'LIMIT', 0, Math.floor(limit));
  const due = members.map((m) => parseTimerMember(m, `Redis key "${key}"`));
  return due.sort(
    (a, b) =>
      a.timer.fireAt - b.timer.fireAt ||
      (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0) ||
      (a.timer.id < b.timer.id ? -1 : a.timer.id > b.timer.id ? 1 : 0),
  );
}
