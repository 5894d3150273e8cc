-- Reads the newest entries a topic's history holds (for a join with 'rewind').
-- KEYS[1] = the stream of entries, KEYS[2] = the hash of the epoch and last offset (RedisKeys#history).
-- ARGV[1] = how many entries at most.
-- Returns {} when the topic has no history, else {epoch, the newest entries, newest first}.
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  return {}
end
return {epoch, redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[1])}
