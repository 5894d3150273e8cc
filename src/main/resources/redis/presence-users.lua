-- The users of room ARGV[11] on live instances, each once.
local seen, out = {}, {}
for _, i in ipairs(redis.call('SMEMBERS', holders(ARGV[11]))) do
  if alive(i) then
    for _, user in ipairs(redis.call('HKEYS', members(ARGV[11], i))) do
      if not seen[user] then
        seen[user] = true
        out[#out + 1] = user
      end
    end
  end
end
return out
