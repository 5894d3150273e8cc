-- Appends one message to a room's (or user's) history, numbering it in the topic's one sequence.
-- KEYS[1] = the stream of entries, KEYS[2] = the hash of the epoch 'e' and the last offset 's' (RedisKeys#history).
-- ARGV[1] = an epoch to start with when the topic has none, ARGV[2] = max entries (0 keeps none),
-- ARGV[3] = the stream's time-to-live in ms, ARGV[4] = the epoch hash's time-to-live in ms, ARGV[5] = now in ms,
-- ARGV[6], ARGV[7] = the frame before and after its id (IdFrame#head, IdFrame#tail),
-- ARGV[8] = the caller's deadline in this server's clock (ms; 0 for none): a script that runs later (Redis was hung and
-- the caller already delivered the message with an id of its own and told its publisher 'unavailable') does nothing.
-- ARGV[9] = '1' on a Redis Cluster: the history keeps in field 'r' the replication id of the master that appended
-- last; a master promoted after a failover has another id, and holds the old one as its 'master_replid2'. It may lack
-- the last appends (replication is asynchronous), so the topic starts a new epoch there rather than number new
-- messages with offsets already given (history-since.lua reports such a history as not recovered until then).
-- ARGV[10] (absent for a JSON message) = the payload of a binary message, any bytes: stored unchanged in the field 'p',
-- beside its header in 'f'.
-- Returns {epoch, offset, this server's time in ms}; {'', 0, time} when past the deadline.
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if tonumber(ARGV[8]) > 0 and now > tonumber(ARGV[8]) then
  return {'', 0, now}
end
local epoch = redis.call('HGET', KEYS[2], 'e')
if ARGV[9] == '1' then
  local info = redis.call('INFO', 'replication')
  local replid = string.match(info, 'master_replid:(%w+)')
  local known = redis.call('HGET', KEYS[2], 'r')
  if epoch and known and known ~= replid and known == string.match(info, 'master_replid2:(%w+)') then
    epoch = nil
    redis.call('HSET', KEYS[2], 's', 0)
  end
  redis.call('HSET', KEYS[2], 'r', replid)
end
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[2], 'e', epoch)
end
local offset = redis.call('HINCRBY', KEYS[2], 's', 1)
if tonumber(ARGV[2]) > 0 then
  local frame = ARGV[6] .. epoch .. ':' .. offset .. ARGV[7]
  if ARGV[10] then
    redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '0-' .. offset, 't', ARGV[5], 'f', frame, 'p', ARGV[10])
  else
    redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], '0-' .. offset, 't', ARGV[5], 'f', frame)
  end
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return {epoch, offset, now}
