/**
 * The Lua scripts behind every write of {@link RedisStorage}: each create, commit, claim,
 * renewal and definition save is one script, so Redis runs it atomically. They are registered with ioredis'
 * `defineCommand` (EVALSHA, falling back to EVAL once per connection, also inside pipelines).
 *
 * Every script gets the instance hash and history list as KEYS and the key prefix as ARGV[1]; the
 * index keys are derived from the prefix (see redis-keys.ts).
 */
import type { ChainableCommander, Redis } from 'ioredis';
import { LEASE_SCRIPT, PURGE_SCRIPT } from './retention-scripts.js';
import { SEARCH_LUA, SPLIT } from './search-indexes.js';


/**
 * Adds or replaces the work of an instance: members not in `old` are new work (leased to the
 * committer when a lease is given), members in both keep their lease, members gone are dropped.
 * New members go to `work` (runnable attempts) or `twork` (timers) as their flag says.
 */
const APPLY_WORK = `
local function apply_work(P, oldList, newList, newScores, newFlags, untilS, owner)
  local old = {}
  for _, m in ipairs(oldList) do old[m] = true end
  local new = {}
  for i, m in ipairs(newList) do
    new[m] = true
    if not old[m] then
      local s = newScores[i]
      if untilS ~= '' then
        redis.call('HSET', P .. 'lease', m, untilS .. '|' .. owner)
        if tonumber(untilS) > tonumber(s) then s = untilS end
      else
        redis.call('HDEL', P .. 'lease', m)
      end
      if newFlags[i] == 't' then redis.call('ZADD', P .. 'twork', s, m) else redis.call('ZADD', P .. 'work', s, m) end
    end
  end
  for _, m in ipairs(oldList) do
    if not new[m] then
      redis.call('ZREM', P .. 'work', m)
      redis.call('ZREM', P .. 'twork', m)
      redis.call('HDEL', P .. 'lease', m)
    end
  end
end
`;

/** Reads timers and work from ARGV starting at `i`: `nT` (score, member) then `nW` (member, score, 'w'|'t'). */
const READ_ITEMS = `
local function read_items(i, nT, nW)
  local tScores, tMembers, wMembers, wScores, wFlags = {}, {}, {}, {}, {}
  for _ = 1, nT do
    tScores[#tScores + 1] = ARGV[i]; tMembers[#tMembers + 1] = ARGV[i + 1]; i = i + 2
  end
  for _ = 1, nW do
    wMembers[#wMembers + 1] = ARGV[i]; wScores[#wScores + 1] = ARGV[i + 1]; wFlags[#wFlags + 1] = ARGV[i + 2]; i = i + 3
  end
  return tScores, tMembers, wMembers, wScores, wFlags, i
end
`;

/**
 * KEYS: instance hash, history list.
 * ARGV: prefix, id, record JSON, seq, state, definitionName, createdAt, hasKey ('1'/'0'), key,
 * leaseUntil ('' = none), leaseOwner, nTimers, nWork, timers (score, member), work (member, score,
 * 'w'|'t'), the 5 search arguments (search-indexes.ts), events...
 * Returns {1} created, {0, existingId} for a taken idempotency key (one naming a deleted instance is
 * free again), {-1, version} for a taken id,
 * {-3, holderId} for a unique business key an unfinished instance holds (checked in that order).
 */
export const CREATE_SCRIPT = `${SPLIT}${APPLY_WORK}${READ_ITEMS}${SEARCH_LUA}
local P, id = ARGV[1], ARGV[2]
if ARGV[8] == '1' then
  local existing = redis.call('HGET', P .. 'idem', ARGV[9])
  if existing and redis.call('EXISTS', P .. 'i:' .. existing) == 1 then return {0, existing} end
end
local ver = redis.call('HGET', KEYS[1], 'ver')
if ver then return {-1, ver} end
local tScores, tMembers, wMembers, wScores, wFlags, i = read_items(14, tonumber(ARGV[12]), tonumber(ARGV[13]))
local s
s, i = read_search(i)
local holder = business_key_holder(P, id, s)
if holder then return {-3, holder} end
for t = 1, #tMembers do redis.call('ZADD', P .. 'timers', tScores[t], tMembers[t]) end
apply_work(P, {}, wMembers, wScores, wFlags, ARGV[10], ARGV[11])
redis.call('DEL', KEYS[2])
for e = i, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[e]) end
local ca = ARGV[7]
redis.call('HSET', KEYS[1], 'rec', ARGV[3], 'ver', '1', 'seq', ARGV[4], 'st', ARGV[5], 'def', ARGV[6], 'ca', ca,
  'tm', table.concat(tMembers, '\\n'), 'wk', table.concat(wMembers, '\\n'))
redis.call('ZADD', P .. 'all', ca, id)
redis.call('ZADD', P .. 'def:' .. ARGV[6], ca, id)
redis.call('ZADD', P .. 'state:' .. ARGV[5], ca, id)
if ARGV[8] == '1' then
  redis.call('HSET', P .. 'idem', ARGV[9], id)
  redis.call('HSET', KEYS[1], 'ik', ARGV[9])
end
if s.ubk ~= '' then redis.call('HSET', KEYS[1], 'ubk', s.ubk) end
apply_search(P, KEYS[1], id, ca, {}, s)
return {1}
`;

/**
 * KEYS: instance hash, history list.
 * ARGV: prefix, id, expectedVersion, newVersion, record JSON, newSeq, eventCount, state,
 * definitionName, createdAt, leaseUntil ('' = none), leaseOwner, nTimers, nWork, timers (score, member),
 * work (member, score, 'w'|'t'), the 5 search arguments (search-indexes.ts), events...
 * Returns {1} committed, {-1, storedVersion or ''} on a version mismatch, {-2, storedSeq} when the
 * events do not continue the stored history. Nothing is written unless it returns {1}.
 */
export const COMMIT_SCRIPT = `${SPLIT}${APPLY_WORK}${READ_ITEMS}${SEARCH_LUA}
local P, id = ARGV[1], ARGV[2]
local h = redis.call('HMGET', KEYS[1], 'ver', 'seq', 'st', 'def', 'ca', 'tm', 'wk', 'bk', 'at')
local expected = tonumber(ARGV[3])
if not h[1] or tonumber(h[1]) ~= expected or tonumber(ARGV[4]) ~= expected + 1 then
  return {-1, h[1] or ''}
end
if (tonumber(h[2]) or -1) + tonumber(ARGV[7]) ~= tonumber(ARGV[6]) then return {-2, h[2] or ''} end
local st, def, ca = ARGV[8], ARGV[9], ARGV[10]
if h[3] and h[3] ~= st then redis.call('ZREM', P .. 'state:' .. h[3], id) end
if h[4] and h[4] ~= def then redis.call('ZREM', P .. 'def:' .. h[4], id) end
if h[3] ~= st or h[4] ~= def or h[5] ~= ca then
  redis.call('ZADD', P .. 'all', ca, id)
  redis.call('ZADD', P .. 'def:' .. def, ca, id)
  redis.call('ZADD', P .. 'state:' .. st, ca, id)
end
local tScores, tMembers, wMembers, wScores, wFlags, i = read_items(15, tonumber(ARGV[13]), tonumber(ARGV[14]))
local s
s, i = read_search(i)
for _, m in ipairs(split(h[6])) do redis.call('ZREM', P .. 'timers', m) end
for t = 1, #tMembers do redis.call('ZADD', P .. 'timers', tScores[t], tMembers[t]) end
apply_work(P, split(h[7]), wMembers, wScores, wFlags, ARGV[11], ARGV[12])
for e = i, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[e]) end
redis.call('HSET', KEYS[1], 'rec', ARGV[5], 'ver', ARGV[4], 'seq', ARGV[6], 'st', st, 'def', def, 'ca', ca,
  'tm', table.concat(tMembers, '\\n'), 'wk', table.concat(wMembers, '\\n'))
apply_search(P, KEYS[1], id, ca, { ca = h[5], bk = h[8], at = h[9] }, s)
return {1}
`;

/**
 * KEYS: work and twork sorted sets, lease hash. ARGV: now, limit, until, owner.
 * Scans each set for items claimable at `now` (score <= now) whose lease has expired or that have
 * none (an item leased until exactly `now` is still held), takes from the two in turn (runnable
 * attempts and timers: neither starves the other), leases up to `limit` items to the owner and
 * returns their members. Nothing is written before the scans end, so their offsets stay valid.
 */
export const CLAIM_SCRIPT = `
local now, limit, untilS, owner = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], ARGV[4]
local untilN = tonumber(untilS)
local function scan(key)
  local picked, scores = {}, {}
  local offset, batch = 0, limit + 32
  while #picked < limit do
    local items = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', offset, batch)
    if #items == 0 then break end
    for j = 1, #items, 2 do
      local m = items[j]
      local l = redis.call('HGET', KEYS[3], m)
      local free = true
      if l then
        local sep = string.find(l, '|', 1, true)
        if sep and (tonumber(string.sub(l, 1, sep - 1)) or 0) >= now then free = false end
      end
      if free then
        picked[#picked + 1] = m
        scores[#scores + 1] = items[j + 1]
        if #picked >= limit then break end
      end
    end
    offset = offset + #items / 2
  end
  return picked, scores
end
local wm, ws = scan(KEYS[1])
local tm, ts = scan(KEYS[2])
local out = {}
local function take(key, m, s)
  redis.call('HSET', KEYS[3], m, untilS .. '|' .. owner)
  if untilN > tonumber(s) then s = untilS end
  redis.call('ZADD', key, s, m)
  out[#out + 1] = m
end
local i, j = 1, 1
while #out < limit and (i <= #wm or j <= #tm) do
  if i <= #wm then take(KEYS[1], wm[i], ws[i]); i = i + 1 end
  if j <= #tm and #out < limit then take(KEYS[2], tm[j], ts[j]); j = j + 1 end
end
return out
`;

/**
 * KEYS: work and twork sorted sets, lease hash. ARGV: until, owner, then (member, floor or '',
 * 'w'|'t') triples. Extends the owner's leases; members leased to someone else, or gone, are skipped.
 */
export const RENEW_SCRIPT = `
local untilS, owner = ARGV[1], ARGV[2]
local renewed = 0
for i = 3, #ARGV, 3 do
  local m = ARGV[i]
  local key = KEYS[1]
  if ARGV[i + 2] == 't' then key = KEYS[2] end
  local l = redis.call('HGET', KEYS[3], m)
  if l then
    local sep = string.find(l, '|', 1, true)
    if sep and string.sub(l, sep + 1) == owner and redis.call('ZSCORE', key, m) then
      redis.call('HSET', KEYS[3], m, untilS .. '|' .. owner)
      local s = untilS
      if ARGV[i + 1] ~= '' and tonumber(ARGV[i + 1]) > tonumber(s) then s = ARGV[i + 1] end
      redis.call('ZADD', key, s, m)
      renewed = renewed + 1
    end
  end
end
return renewed
`;

/**
 * KEYS: the definition version's hash, the definitions index hash.
 * ARGV: name, version, hash, source, storedAt, index field, index summary JSON.
 * Stores the version unless its hash exists (HSETNX on `src` decides) and indexes it: {1}. When it
 * exists, nothing is written: {0, name, version, hash, source, storedAt} of the stored one.
 */
export const SAVE_DEFINITION_SCRIPT = `
if redis.call('HSETNX', KEYS[1], 'src', ARGV[4]) == 1 then
  redis.call('HSET', KEYS[1], 'name', ARGV[1], 'ver', ARGV[2], 'hash', ARGV[3], 'at', ARGV[5])
  redis.call('HSET', KEYS[2], ARGV[6], ARGV[7])
  return {1}
end
local h = redis.call('HMGET', KEYS[1], 'name', 'ver', 'hash', 'src', 'at')
return {0, h[1] or '', h[2] or '', h[3] or '', h[4] or '', h[5] or ''}
`;

/**
 * KEYS: history list. ARGV: (index, stored JSON, new JSON) triples. Replaces each event that still
 * holds the stored JSON; an index past the end (history deleted meanwhile) is skipped. Returns how
 * many held something else (rewritten meanwhile: read again and retry).
 */
export const REWRITE_HISTORY_SCRIPT = `
local changed = 0
for i = 1, #ARGV, 3 do
  local current = redis.call('LINDEX', KEYS[1], ARGV[i])
  if current == ARGV[i + 1] then
    redis.call('LSET', KEYS[1], ARGV[i], ARGV[i + 2])
  elseif current then
    changed = changed + 1
  end
end
return changed
`;

type Reply = Array<string | number>;

/** The script commands {@link defineScripts} adds to a client (and its pipelines). */
export interface ScriptCommands {
  wmStorageCreate(...args: Array<string | number>): Promise<Reply>;
  wmStorageCommit(...args: Array<string | number>): Promise<Reply>;
  wmStorageClaim(...args: Array<string | number>): Promise<string[]>;
  wmStorageRenew(...args: Array<string | number>): Promise<number>;
  wmStorageSaveDefinition(...args: Array<string | number>): Promise<Reply>;
  wmStorageRewriteHistory(...args: Array<string | number>): Promise<number>;
  wmStoragePurge(...args: Array<string | number>): Promise<number>;
  wmStorageLease(...args: Array<string | number>): Promise<number>;
}

/** A pipeline with the script commands. */
export type ScriptPipeline = ChainableCommander & {
  wmStorageCommit(...args: Array<string | number>): ScriptPipeline;
  wmStoragePurge(...args: Array<string | number>): ScriptPipeline;
};

/**
 * Registers the scripts on `redis` (idempotent; the names are prefixed to stay out of the way of
 * the application's own commands on a shared client).
 */
export function defineScripts(redis: Redis): Redis & ScriptCommands {
  const commands = redis as Redis & Partial<ScriptCommands>;
  if (typeof commands.wmStorageCreate !== 'function') {
    redis.defineCommand('wmStorageCreate', { numberOfKeys: 2, lua: CREATE_SCRIPT });
    redis.defineCommand('wmStorageCommit', { numberOfKeys: 2, lua: COMMIT_SCRIPT });
    redis.defineCommand('wmStorageClaim', { numberOfKeys: 3, lua: CLAIM_SCRIPT });
    redis.defineCommand('wmStorageRenew', { numberOfKeys: 3, lua: RENEW_SCRIPT });
  }
  if (typeof commands.wmStorageSaveDefinition !== 'function') {
    redis.defineCommand('wmStorageSaveDefinition', { numberOfKeys: 2, lua: SAVE_DEFINITION_SCRIPT });
  }
  if (typeof commands.wmStorageRewriteHistory !== 'function') {
    redis.defineCommand('wmStorageRewriteHistory', { numberOfKeys: 1, lua: REWRITE_HISTORY_SCRIPT });
  }
  if (typeof commands.wmStoragePurge !== 'function') {
    redis.defineCommand('wmStoragePurge', { numberOfKeys: 2, lua: PURGE_SCRIPT });
    redis.defineCommand('wmStorageLease', { numberOfKeys: 1, lua: LEASE_SCRIPT });
  }
  return redis as Redis & ScriptCommands;
}
