-- Replaces this instance's part with ARGV[11..]: room, user count n, n users, room, ...
beat()
local wanted, i = {}, 11
while i <= #ARGV do
  local users, n = {}, tonumber(ARGV[i + 1])
  for k = 1, n do
    users[ARGV[i + 1 + k]] = true
  end
  wanted[ARGV[i]] = users
  i = i + 2 + n
end
for _, room in ipairs(redis.call('SMEMBERS', rooms(me))) do
  local users = wanted[room] or {}
  for _, user in ipairs(redis.call('HKEYS', members(room, me))) do
    if not users[user] then
      leave(room, user, me)
    end
  end
end
for room, users in pairs(wanted) do
  for user in pairs(users) do
    enter(room, user, me)
  end
end
return 1
