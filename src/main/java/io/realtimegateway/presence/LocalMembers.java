package io.realtimegateway.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many connections each user has in each room on this instance, to tell a user's first connection in a room from
 * a second tab, and their last from one of several. Index entries go when their count reaches zero, so nothing is
 * held for past members. Thread-safe: every method holds this object's monitor for a few map operations.
 */
final class LocalMembers {

    private final Map<String, Map<String, Integer>> rooms = new HashMap<>();

    /** @return {@code true} when this is the user's first connection in the room on this instance */
    synchronized boolean add(String room, String user) {
        return rooms.computeIfAbsent(room, r -> new HashMap<>()).merge(user, 1, Integer::sum) == 1;
    }

    /** @return {@code true} when this was the user's last connection in the room on this instance */
    synchronized boolean remove(String room, String user) {
        Map<String, Integer> users = rooms.get(room);
        if (users == null || !users.containsKey(user)) {
            return false;
        }
        int left = users.merge(user, -1, Integer::sum);
        if (left > 0) {
            return false;
        }
        users.remove(user);
        if (users.isEmpty()) {
            rooms.remove(room);
        }
        return true;
    }

    /** The users of a room on this instance, each once. */
    synchronized List<String> users(String room) {
        Map<String, Integer> users = rooms.get(room);
        return users == null ? List.of() : new ArrayList<>(users.keySet());
    }

    /** Every room with its users, copied. */
    synchronized Map<String, List<String>> snapshot() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        rooms.forEach((room, users) -> copy.put(room, new ArrayList<>(users.keySet())));
        return copy;
    }
}
