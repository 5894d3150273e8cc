-- Makes this instance's users in the room exactly ARGV[4..] (none: it has left the room), announcing the changes.
local wanted = {}
for k = 4, #ARGV do
  wanted[ARGV[k]] = true
end
for _, user in ipairs(users_of(me)) do
  if not wanted[user] then
    drop(me, user)
  end
end
if #ARGV >= 4 then
  beat()
  for user in pairs(wanted) do
    enter(user)
  end
else
  redis.call('ZREM', holders, me)
end
return 1
