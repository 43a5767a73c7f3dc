/**
 * The Lua scripts that change the shared store. Each runs atomically in Valkey/Redis, so an
 * action, the journal entries it produced, the step count and the episode's place in the live set
 * change together or not at all.
 *
 * Keys (P = EPISODE_STORE_PREFIX; the episode id sits in braces, which episode ids cannot contain,
 * so no id can forge another's keys):
 *   P:ep:{id}                hash: gen (incarnation), reset (the resolved ResetRequest, protobuf),
 *                            steps, done, token (the last commit's), logSeq, eventSeq (last numbers)
 *   P:ep:{id}:actions        list: the committed actions (protobuf), in order
 *   P:ep:{id}:GEN:logs       stream: LogEntry (field m), entry id SEQ-0; end marker LASTSEQ-1
 *   P:ep:{id}:GEN:events     stream: EpisodeEvent, numbered the same way
 *   P:live                   sorted set: every episode, scored by its last use (store time, ms)
 *   P:finished               sorted set: the finished ones among them, scored the same way
 *   P:default                string: the default episode's id
 *   P:gen                    counter: incarnation numbers
 *   P:notify                 channel: "s GEN STEPS ID" when an episode is created or stepped,
 *                            "x ID" when it is closed or evicted
 *
 * Journals are numbered by the episode itself (src/env/journal.ts), so the stream entry ids are
 * the sequence numbers every replica reports. An end marker's id LASTSEQ-1 sorts after the last
 * entry without taking a number. A retired incarnation's streams (closed, evicted, or replaced by
 * a reset with the same id) get their end marker and expire after a grace period, so that readers
 * still following them can finish.
 *
 * Scripts build key names from the prefix and the id, so they need one Valkey/Redis server (a
 * primary, with or without replicas), not a cluster. Times come from the store's clock (TIME), so
 * replicas with skewed clocks agree on idleness.
 */
import { createHash } from "node:crypto";

export interface StoreScript {
  readonly name: string;
  readonly lua: string;
  readonly sha: string;
}

const PRELUDE = `
local P = ARGV[1]
local LIVE = P .. ':live'
local FINISHED = P .. ':finished'
local DEFAULT = P .. ':default'
local CHANNEL = P .. ':notify'
local function meta(id) return P .. ':ep:{' .. id .. '}' end
local function actions(id) return P .. ':ep:{' .. id .. '}:actions' end
local function journal(id, gen, name) return P .. ':ep:{' .. id .. '}:' .. gen .. ':' .. name end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Appends the n entries ARGV[first..] (pairs: seq, message), keeps the last cap numbers, and
-- writes the end marker when asked. Returns the index after the entries.
local function append(key, first, n, last, cap, ending)
  for k = 0, n - 1 do
    redis.call('XADD', key, ARGV[first + 2 * k] .. '-0', 'm', ARGV[first + 2 * k + 1])
  end
  if n > 0 and last - cap + 1 > 1 then redis.call('XTRIM', key, 'MINID', (last - cap + 1) .. '-0') end
  if ending then redis.call('XADD', key, last .. '-1', 'end', '1') end
  return first + 2 * n
end
-- Ends an incarnation's streams (unless its episode already ended them) and lets them expire.
local function retire_journals(id, f, grace)
  local logs = journal(id, f[1], 'logs')
  local events = journal(id, f[1], 'events')
  if f[2] ~= '1' then
    redis.call('XADD', logs, f[3] .. '-1', 'end', '1')
    redis.call('XADD', events, f[4] .. '-1', 'end', '1')
  end
  redis.call('EXPIRE', logs, grace)
  redis.call('EXPIRE', events, grace)
end
local function forget(id)
  redis.call('DEL', meta(id), actions(id))
  redis.call('ZREM', LIVE, id)
  redis.call('ZREM', FINISHED, id)
  if redis.call('GET', DEFAULT) == id then redis.call('DEL', DEFAULT) end
  redis.call('PUBLISH', CHANNEL, 'x ' .. id)
end
local function evict(id, grace)
  local f = redis.call('HMGET', meta(id), 'gen', 'done', 'logSeq', 'eventSeq')
  if f[1] then retire_journals(id, f, grace) end
  forget(id)
end
local function evict_idle(cutoff, grace)
  local ids = redis.call('ZRANGEBYSCORE', LIVE, '-inf', cutoff)
  for _, id in ipairs(ids) do evict(id, grace) end
  return #ids
end
`;

function script(name: string, body: string): StoreScript {
  const lua = `${PRELUDE}\n${body}`;
  return { name, lua, sha: createHash("sha1").update(lua).digest("hex") };
}

/**
 * A new episode (or a new incarnation of one with the same id): makes room like
 * src/env/episode-store.ts (idle episodes first, then the longest-idle finished one), stores the
 * reset request and the opening journal entries, and sets the default when asked (closing the
 * previous default).
 * ARGV: P, id, reset, makeDefault, maxLive, idleTtlMs, graceSeconds, logSeq, eventSeq, logCap,
 * eventCap, nLogs, (seq, message)..., nEvents, (seq, message)...
 * Returns {'ok', gen} or {'exhausted'}.
 */
export const RESET = script(
  "reset",
  `
local id = ARGV[2]
local grace = tonumber(ARGV[7])
local old = redis.call('HMGET', meta(id), 'gen', 'done', 'logSeq', 'eventSeq')
local now = now_ms()
-- A new default episode closes the one it replaces (as src/env/episode-store.ts does), first, so
-- that it frees a slot for the new one.
if ARGV[4] == '1' then
  local previous = redis.call('GET', DEFAULT)
  if previous and previous ~= id then evict(previous, grace) end
end
if not old[1] and redis.call('ZCARD', LIVE) >= tonumber(ARGV[5]) then
  evict_idle(now - tonumber(ARGV[6]), grace)
  if redis.call('ZCARD', LIVE) >= tonumber(ARGV[5]) then
    local finished = redis.call('ZRANGE', FINISHED, 0, 0)
    if #finished == 0 then return {'exhausted'} end
    evict(finished[1], grace)
  end
end
if old[1] then
  retire_journals(id, old, grace)
  redis.call('DEL', meta(id), actions(id))
end
local gen = tostring(redis.call('INCR', P .. ':gen'))
redis.call('HSET', meta(id), 'gen', gen, 'reset', ARGV[3], 'steps', 0, 'done', 0, 'token', '', 'logSeq', ARGV[8], 'eventSeq', ARGV[9])
local i = append(journal(id, gen, 'logs'), 13, tonumber(ARGV[12]), tonumber(ARGV[8]), tonumber(ARGV[10]), false)
append(journal(id, gen, 'events'), i + 1, tonumber(ARGV[i]), tonumber(ARGV[9]), tonumber(ARGV[11]), false)
redis.call('ZADD', LIVE, now, id)
redis.call('ZREM', FINISHED, id)
if ARGV[4] == '1' then redis.call('SET', DEFAULT, id) end
redis.call('PUBLISH', CHANNEL, 's ' .. gen .. ' 0 ' .. id)
return {'ok', gen}
`,
);

/**
 * Commits one step, only if the episode is still the incarnation the replica stepped and has
 * exactly the expected number of steps (optimistic concurrency); a commit resent with the same
 * token after it succeeded answers ok again instead of applying twice.
 * ARGV: P, id, gen, expectedSteps, token, action, done, logSeq, eventSeq, logCap, eventCap,
 * nLogs, (seq, message)..., nEvents, (seq, message)...
 * Returns {'ok'}, {'missing'}, {'gone'} (another incarnation), {'conflict'} or {'over'}.
 */
export const STEP = script(
  "step",
  `
local id = ARGV[2]
local f = redis.call('HMGET', meta(id), 'gen', 'steps', 'done', 'token')
if not f[1] then return {'missing'} end
if f[1] ~= ARGV[3] then return {'gone'} end
local expected = tonumber(ARGV[4])
local steps = tonumber(f[2])
if steps ~= expected then
  if steps == expected + 1 and f[4] == ARGV[5] then return {'ok'} end
  return {'conflict'}
end
if f[3] == '1' then return {'over'} end
local gen = f[1]
local ending = ARGV[7] == '1'
redis.call('RPUSH', actions(id), ARGV[6])
redis.call('HSET', meta(id), 'steps', expected + 1, 'done', ARGV[7], 'token', ARGV[5], 'logSeq', ARGV[8], 'eventSeq', ARGV[9])
local i = append(journal(id, gen, 'logs'), 13, tonumber(ARGV[12]), tonumber(ARGV[8]), tonumber(ARGV[10]), ending)
append(journal(id, gen, 'events'), i + 1, tonumber(ARGV[i]), tonumber(ARGV[9]), tonumber(ARGV[11]), ending)
local now = now_ms()
redis.call('ZADD', LIVE, now, id)
if ending then redis.call('ZADD', FINISHED, now, id) end
redis.call('PUBLISH', CHANNEL, 's ' .. gen .. ' ' .. (expected + 1) .. ' ' .. id)
return {'ok'}
`,
);

/**
 * Closes an episode (CloseEpisode): appends the entries closing produced (its status change),
 * ends its streams, and removes it; same concurrency check as STEP.
 * ARGV: P, id, gen, expectedSteps, graceSeconds, logSeq, eventSeq, logCap, eventCap,
 * nLogs, (seq, message)..., nEvents, (seq, message)...
 * Returns {'ok'}, {'missing'}, {'gone'} or {'conflict'}.
 */
export const CLOSE = script(
  "close",
  `
local id = ARGV[2]
local f = redis.call('HMGET', meta(id), 'gen', 'steps', 'done')
if not f[1] then return {'missing'} end
if f[1] ~= ARGV[3] then return {'gone'} end
if tonumber(f[2]) ~= tonumber(ARGV[4]) then return {'conflict'} end
local gen = f[1]
local ending = f[3] ~= '1'
local logs = journal(id, gen, 'logs')
local events = journal(id, gen, 'events')
local i = append(logs, 11, tonumber(ARGV[10]), tonumber(ARGV[6]), tonumber(ARGV[8]), ending)
append(events, i + 1, tonumber(ARGV[i]), tonumber(ARGV[7]), tonumber(ARGV[9]), ending)
redis.call('EXPIRE', logs, tonumber(ARGV[5]))
redis.call('EXPIRE', events, tonumber(ARGV[5]))
forget(id)
return {'ok'}
`,
);

/**
 * What a replica needs to serve an episode: its incarnation, step count, whether it is over and
 * the last journal numbers; with wantActions, the actions it lacks (all of them and the reset
 * request when its copy is of another incarnation or missing). Touching marks the episode used.
 * ARGV: P, id, cachedGen, cachedSteps, touch, wantActions
 * Returns {'missing'} or {'ok', gen, steps, done, logSeq, eventSeq[, 'same'|'full', reset, action...]}.
 */
export const SYNC = script(
  "sync",
  `
local id = ARGV[2]
local f = redis.call('HMGET', meta(id), 'gen', 'steps', 'done', 'logSeq', 'eventSeq')
if not f[1] then return {'missing'} end
if ARGV[5] == '1' then
  local now = now_ms()
  redis.call('ZADD', LIVE, 'XX', now, id)
  redis.call('ZADD', FINISHED, 'XX', now, id)
end
local out = {'ok', f[1], f[2], f[3], f[4], f[5]}
if ARGV[6] == '1' then
  local from = 0
  if f[1] == ARGV[3] and tonumber(f[2]) >= tonumber(ARGV[4]) then
    out[7] = 'same'
    out[8] = ''
    from = tonumber(ARGV[4])
  else
    out[7] = 'full'
    out[8] = redis.call('HGET', meta(id), 'reset')
  end
  local list = redis.call('LRANGE', actions(id), from, -1)
  for _, a in ipairs(list) do out[#out + 1] = a end
end
return out
`,
);

/**
 * A subscriber's read: the journal entries after a sequence number (the end marker included, as
 * an id ending in -1). When there are none, says whether the stream has ended ('end' with the
 * marker's id) or its incarnation is gone ('gone').
 * ARGV: P, id, gen, name, afterSeq, count
 * Returns {'ok', id, message, id, message, ...}, {'end', markerId} or {'gone'}.
 */
export const READ = script(
  "read",
  `
local key = journal(ARGV[2], ARGV[3], ARGV[4])
local r = redis.call('XRANGE', key, '(' .. ARGV[5] .. '-0', '+', 'COUNT', tonumber(ARGV[6]))
local out = {'ok'}
for _, e in ipairs(r) do
  out[#out + 1] = e[1]
  out[#out + 1] = e[2][2]
end
if #r == 0 then
  local last = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
  if #last > 0 then
    if string.sub(last[1][1], -2) == '-1' then return {'end', last[1][1]} end
  elseif redis.call('HGET', meta(ARGV[2]), 'gen') ~= ARGV[3] then
    return {'gone'}
  end
end
return out
`,
);

/**
 * Evicts every episode idle for longer than the TTL (any replica may run it; it is idempotent).
 * ARGV: P, idleTtlMs, graceSeconds. Returns how many it evicted.
 */
export const SWEEP = script("sweep", `return evict_idle(now_ms() - tonumber(ARGV[2]), tonumber(ARGV[3]))`);
