-- A connection of user ARGV[4] on this instance entered the room (the first of this user here).
beat()
enter(ARGV[4])
return 1
