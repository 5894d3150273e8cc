-- The last connection of user ARGV[4] on this instance left the room.
drop(me, ARGV[4])
return 1
