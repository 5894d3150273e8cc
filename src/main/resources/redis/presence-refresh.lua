-- Renews this instance's liveness in the room and reaps the instances that stopped renewing theirs here.
-- Returns {1 if this instance was still alive in the room else 0, instances reaped}.
local existed = beat()
local reaped = 0
for _, other in ipairs(redis.call('ZRANGEBYSCORE', holders, '-inf', '(' .. now)) do
  reap(other)
  reaped = reaped + 1
end
return {existed, reaped}
