-- Removes this instance's part at shutdown, announcing its users as left unless present elsewhere.
reap(me)
redis.call('DEL', alive_head .. me)
return 1
