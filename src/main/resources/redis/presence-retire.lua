-- Removes this instance from the room (at shutdown), announcing its users as left unless present elsewhere.
reap(me)
return 1
