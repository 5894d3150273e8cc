-- The users of the room on live instances, each once.
local seen, out, live = {}, {}, {}
for _, field in ipairs(redis.call('HKEYS', members)) do
  local cut = string.find(field, ':', 1, true)
  local user = string.sub(field, cut + 1)
  local i = string.sub(field, 1, cut - 1)
  if live[i] == nil then
    live[i] = alive(i) and true or false
  end
  if not seen[user] and live[i] then
    seen[user] = true
    out[#out + 1] = user
  end
end
return out
