-- A connection of user ARGV[12] on this instance entered room ARGV[11] (the first of this user here).
beat()
enter(ARGV[11], ARGV[12], me)
return 1
