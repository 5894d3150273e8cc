-- Reads what a topic's history holds after a client's last seen id.
-- KEYS[1] = the stream of entries, KEYS[2] = the hash of the epoch and last offset (RedisKeys#history).
-- ARGV[1] = the epoch of the client's last id, ARGV[2] = its offset, ARGV[3] = '1' on a Redis Cluster.
-- Returns {} when the topic has no history or, on a cluster, when this master was promoted after the last append
-- (its history may lack the last appends: see history-append.lua), else {epoch, last offset, entries after the client's offset (all of them
-- when the epoch differs or the offset is in the future)}.
local epoch = redis.call('HGET', KEYS[2], 'e')
if not epoch then
  return {}
end
if ARGV[3] == '1' then
  local info = redis.call('INFO', 'replication')
  local known = redis.call('HGET', KEYS[2], 'r')
  if known and known ~= string.match(info, 'master_replid:(%w+)')
      and known == string.match(info, 'master_replid2:(%w+)') then
    return {}
  end
end
local seq = tonumber(redis.call('HGET', KEYS[2], 's'))
local after = 0
if epoch == ARGV[1] and tonumber(ARGV[2]) <= seq then
  after = tonumber(ARGV[2])
end
return {epoch, seq, redis.call('XRANGE', KEYS[1], '(0-' .. after, '+')}
