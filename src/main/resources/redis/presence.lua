-- Shared by every presence script (prepended to each). Presence of one room is kept per instance: the hash of the
-- users an instance has in the room, and the set of instances with members there; an instance is alive while its
-- liveness key exists. Key and channel names are built only from the parts Java hands over (RedisKeys#presenceNaming):
-- ARGV[1] room head, ARGV[2] members tail, ARGV[3] instances tail, ARGV[4] presence channel head, ARGV[5] its tail,
-- ARGV[6] liveness head, ARGV[7] rooms tail, ARGV[8] the set of instances; ARGV[9] this instance, ARGV[10] the
-- liveness time-to-live in ms. Script arguments start at ARGV[11].
-- A change that makes a user's first connection anywhere enter, or the last one leave, is published on the room's
-- presence channel as '+<user>' or '-<user>' (RedisEnvelope), in the same atomic step as the change.
local room_head, members_tail, holders_tail = ARGV[1], ARGV[2], ARGV[3]
local channel_head, channel_tail, alive_head, rooms_tail, instances = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local me, ttl = ARGV[9], ARGV[10]
local function members(room, i) return room_head .. room .. members_tail .. i end
local function holders(room) return room_head .. room .. holders_tail end
local function rooms(i) return alive_head .. i .. rooms_tail end
local function alive(i) return redis.call('EXISTS', alive_head .. i) == 1 end
local function elsewhere(room, user, i)
  for _, other in ipairs(redis.call('SMEMBERS', holders(room))) do
    if other ~= i and alive(other) and redis.call('HEXISTS', members(room, other), user) == 1 then
      return true
    end
  end
  return false
end
local function announce(room, user, joined)
  redis.call('PUBLISH', channel_head .. room .. channel_tail, (joined and '+' or '-') .. user)
end
local function enter(room, user, i)
  redis.call('SADD', rooms(i), room)
  redis.call('SADD', holders(room), i)
  if redis.call('HSET', members(room, i), user, '1') == 1 and not elsewhere(room, user, i) then
    announce(room, user, true)
  end
end
local function leave(room, user, i)
  if redis.call('HDEL', members(room, i), user) == 0 then
    return
  end
  if redis.call('HLEN', members(room, i)) == 0 then
    redis.call('SREM', holders(room), i)
    redis.call('SREM', rooms(i), room)
  end
  if not elsewhere(room, user, i) then
    announce(room, user, false)
  end
end
local function reap(i)
  for _, room in ipairs(redis.call('SMEMBERS', rooms(i))) do
    for _, user in ipairs(redis.call('HKEYS', members(room, i))) do
      leave(room, user, i)
    end
    redis.call('DEL', members(room, i))
    redis.call('SREM', holders(room), i)
  end
  redis.call('DEL', rooms(i))
  redis.call('SREM', instances, i)
end
local function beat()
  local existed = redis.call('EXISTS', alive_head .. me)
  redis.call('SET', alive_head .. me, '1', 'PX', ttl)
  redis.call('SADD', instances, me)
  return existed
end
