-- Renews this instance's liveness and reaps the instances that stopped renewing theirs.
-- Returns {1 if this instance's liveness key still existed else 0, instances reaped}.
local existed = beat()
local reaped = 0
for _, other in ipairs(redis.call('SMEMBERS', instances)) do
  if not alive(other) then
    reap(other)
    reaped = reaped + 1
  end
end
return {existed, reaped}
