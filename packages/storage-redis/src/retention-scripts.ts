/**
 * The Lua scripts of retention: deleting a finished instance with everything kept for it, and the
 * named maintenance leases. Registered with the others by `defineScripts` (redis-scripts.ts).
 */
import { SPLIT } from './search-indexes.js';

/**
 * KEYS: instance hash, history list. ARGV: prefix, id, version.
 * Deletes the instance when it is still at `version` and finished: record, history, its entries in
 * every index (all, definition, state, business key, attributes, purge), its timers and work with
 * their leases, its idempotency key and unique business key (when they still name it). Returns 1
 * when deleted, 0 when it was not (gone, moved on, or unfinished), writing nothing then.
 */
export const PURGE_SCRIPT = `${SPLIT}
local P, id = ARGV[1], ARGV[2]
local h = redis.call('HMGET', KEYS[1], 'ver', 'st', 'def', 'tm', 'wk', 'bk', 'at', 'ubk', 'ik')
if not h[1] or tonumber(h[1]) ~= tonumber(ARGV[3]) then return 0 end
local st = h[2]
if st ~= 'COMPLETED' and st ~= 'FAILED' and st ~= 'CANCELLED' then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', P .. 'all', id)
if h[3] then redis.call('ZREM', P .. 'def:' .. h[3], id) end
redis.call('ZREM', P .. 'state:' .. st, id)
for _, m in ipairs(split(h[4])) do redis.call('ZREM', P .. 'timers', m) end
for _, m in ipairs(split(h[5])) do
  redis.call('ZREM', P .. 'work', m)
  redis.call('ZREM', P .. 'twork', m)
  redis.call('HDEL', P .. 'lease', m)
end
if h[6] then redis.call('ZREM', P .. 'bk:' .. h[6], id) end
for _, m in ipairs(split(h[7])) do redis.call('ZREM', P .. 'attr:' .. m, id) end
if h[8] and redis.call('HGET', P .. 'ubk', h[8]) == id then redis.call('HDEL', P .. 'ubk', h[8]) end
if h[9] and redis.call('HGET', P .. 'idem', h[9]) == id then redis.call('HDEL', P .. 'idem', h[9]) end
redis.call('ZREM', P .. 'purge', id)
return 1
`;

/**
 * KEYS: the maintenance leases hash. ARGV: name, until, owner, now.
 * Gives `name` to `owner` until `until` when nobody holds it, its holder's lease has expired
 * (`until` < `now`; a lease until exactly `now` is still held) or `owner` holds it: 1; else 0.
 */
export const LEASE_SCRIPT = `
local l = redis.call('HGET', KEYS[1], ARGV[1])
if l then
  local sep = string.find(l, '|', 1, true)
  if sep and string.sub(l, sep + 1) ~= ARGV[3] and (tonumber(string.sub(l, 1, sep - 1)) or 0) >= tonumber(ARGV[4]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
return 1
`;
