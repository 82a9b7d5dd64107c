/**
 * Business keys, search attributes and the purge index of {@link RedisStorage}: what the create
 * and commit scripts get about them (5 arguments after the timers and work, see {@link searchArgs})
 * and the Lua they run on them. The instance hash keeps what the scripts must compare or undo:
 * `bk` (business key), `at` (attribute index members), `ubk` (unique business key field), `ik`
 * (idempotency key).
 */
import { isTerminal, type InstanceRecord } from '@workflow-mastery/core';
import { businessKeyIndexKey } from '@workflow-mastery/core/storage-kit';

/** The member naming one attribute value, and the end of its index key (`P attr:<member>`). */
export function attributeMember(name: string, value: string): string {
  return JSON.stringify([name, String(value)]);
}

/**
 * The search arguments of a record: has business key ('1'/'0'), business key, unique business key
 * field ('' = not unique), purgeAfter ('' = not purgeable: unfinished or no purgeAfter), attribute
 * members (sorted, newline-separated: JSON never holds a raw newline).
 */
export function searchArgs(record: InstanceRecord): string[] {
  const { businessKey } = record;
  const unique = record.uniqueBusinessKey && businessKey !== undefined ? businessKeyIndexKey(record.definitionName, businessKey) : '';
  let purgeAfter = '';
  if (record.purgeAfter !== undefined && isTerminal(record.state)) {
    if (!Number.isFinite(record.purgeAfter)) throw new Error(`Instance ${record.id}: purgeAfter must be a finite number (epoch ms), got ${record.purgeAfter}.`);
    purgeAfter = String(record.purgeAfter);
  }
  const members = Object.entries(record.attributes ?? {})
    .map(([name, value]) => attributeMember(name, value))
    .sort();
  return [businessKey === undefined ? '0' : '1', businessKey ?? '', unique, purgeAfter, members.join('\n')];
}

/** Lua: `split(s)`, the parts of a newline-separated list (none for nil or ''). */
export const SPLIT = `
local function split(s)
  local out = {}
  if not s or s == '' then return out end
  for part in string.gmatch(s, '[^\\n]+') do out[#out + 1] = part end
  return out
end
`;

/**
 * Lua (needs `split`): `read_search(i)` reads the 5 search arguments at ARGV[i] and returns them
 * and the next index; `business_key_holder(P, id, s)` is the unfinished instance holding the unique
 * business key `s` asks for (nil when free: then it is taken for `id`); `apply_search(P, key, id,
 * ca, old, s)` updates the indexes and hash fields from the stored `old` ({ca, bk, at}, false when
 * absent) to `s`: the business key and attribute indexes only when they (or createdAt) change.
 */
export const SEARCH_LUA = `
local function read_search(i)
  local s = { ubk = ARGV[i + 2], pa = ARGV[i + 3], at = ARGV[i + 4] }
  if ARGV[i] == '1' then s.bk = ARGV[i + 1] end
  return s, i + 5
end
local function is_finished(st)
  return st == 'COMPLETED' or st == 'FAILED' or st == 'CANCELLED'
end
local function business_key_holder(P, id, s)
  if s.ubk == '' then return nil end
  local holder = redis.call('HGET', P .. 'ubk', s.ubk)
  if holder and holder ~= id then
    local st = redis.call('HGET', P .. 'i:' .. holder, 'st')
    if st and not is_finished(st) then return holder end
  end
  redis.call('HSET', P .. 'ubk', s.ubk, id)
  return nil
end
local function apply_search(P, key, id, ca, old, s)
  local moved = old.ca ~= ca
  if old.bk and old.bk ~= s.bk then redis.call('ZREM', P .. 'bk:' .. old.bk, id) end
  if s.bk and (moved or old.bk ~= s.bk) then redis.call('ZADD', P .. 'bk:' .. s.bk, ca, id) end
  if s.bk then redis.call('HSET', key, 'bk', s.bk) elseif old.bk then redis.call('HDEL', key, 'bk') end
  local oldAt = old.at or ''
  if moved or oldAt ~= s.at then
    local was, now = {}, {}
    for _, m in ipairs(split(oldAt)) do was[m] = true end
    for _, m in ipairs(split(s.at)) do
      now[m] = true
      if moved or not was[m] then redis.call('ZADD', P .. 'attr:' .. m, ca, id) end
    end
    for m in pairs(was) do
      if not now[m] then redis.call('ZREM', P .. 'attr:' .. m, id) end
    end
    redis.call('HSET', key, 'at', s.at)
  end
  if s.pa ~= '' then redis.call('ZADD', P .. 'purge', s.pa, id) else redis.call('ZREM', P .. 'purge', id) end
end
`;
