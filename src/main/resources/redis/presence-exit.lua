-- The last connection of user ARGV[12] on this instance left room ARGV[11].
leave(ARGV[11], ARGV[12], me)
return 1
