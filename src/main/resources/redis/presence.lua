-- Shared by every presence script (prepended to each). Presence is kept per room, in the room's hash slot only:
-- KEYS[1] the hash of the room's members, field '<instance>:<user>' (RedisKeys#presence);
-- KEYS[2] the sorted set of the instances that keep members in the room, each scored with the time (this server's
--         clock, ms) until which it counts as alive: an instance renews it in every room it has members in;
-- KEYS[3] the room's presence channel.
-- ARGV[1] this instance, ARGV[2] the liveness time-to-live in ms, ARGV[3] the publish command ('PUBLISH', or
-- 'SPUBLISH' where the gateway uses sharded pub/sub). Script arguments start at ARGV[4].
-- A change that makes a user's first connection anywhere enter, or the last one leave, is published on the room's
-- presence channel as '+<user>' or '-<user>' (RedisEnvelope), in the same atomic step as the change.
local members, holders, channel = KEYS[1], KEYS[2], KEYS[3]
local me, ttl, publish = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local function alive(i)
  local until_ = redis.call('ZSCORE', holders, i)
  return until_ and tonumber(until_) >= now
end
-- Whether user is in the room on a live instance other than i.
local function elsewhere(user, i)
  for _, other in ipairs(redis.call('ZRANGEBYSCORE', holders, now, '+inf')) do
    if other ~= i and redis.call('HEXISTS', members, other .. ':' .. user) == 1 then
      return true
    end
  end
  return false
end
local function announce(user, joined)
  redis.call(publish, channel, (joined and '+' or '-') .. user)
end
local function enter(user)
  if redis.call('HSET', members, me .. ':' .. user, '1') == 1 and not elsewhere(user, me) then
    announce(user, true)
  end
end
-- Removes the field of user on instance i; announces the user as left unless present on another live instance.
local function drop(i, user)
  if redis.call('HDEL', members, i .. ':' .. user) == 1 and not elsewhere(user, i) then
    announce(user, false)
  end
end
-- The users instance i has in the room.
local function users_of(i)
  local head, out = i .. ':', {}
  for _, field in ipairs(redis.call('HKEYS', members)) do
    if string.sub(field, 1, #head) == head then
      out[#out + 1] = string.sub(field, #head + 1)
    end
  end
  return out
end
-- Removes instance i from the room, announcing its users as left unless present elsewhere.
local function reap(i)
  redis.call('ZREM', holders, i)
  for _, user in ipairs(users_of(i)) do
    drop(i, user)
  end
end
-- Renews this instance's liveness in the room; returns 1 if it was alive here until now, else 0 (its part may have
-- been reaped, or the keys lost: the caller re-synchronises the room).
local function beat()
  local existed = alive(me) and 1 or 0
  redis.call('ZADD', holders, now + ttl, me)
  redis.call('PEXPIRE', holders, 2 * ttl)
  redis.call('PEXPIRE', members, 2 * ttl)
  return existed
end
