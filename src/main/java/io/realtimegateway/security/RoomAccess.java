package io.realtimegateway.security;

import io.realtimegateway.message.Identity;

/**
 * Who may join which room. Rooms are open to every user, except those whose name starts with {@code private:}: those
 * must be named in the token's {@code rooms} claim, exactly or by a {@code prefix*} pattern. Pure and thread-safe.
 */
public final class RoomAccess {

    /** The prefix of rooms that need a grant in the token. */
    public static final String PRIVATE_PREFIX = "private:";

    private RoomAccess() {
    }

    public static boolean mayJoin(Identity identity, String room) {
        if (!room.startsWith(PRIVATE_PREFIX)) {
            return true;
        }
        for (String grant : identity.rooms()) {
            if (grant.endsWith("*") ? room.startsWith(grant.substring(0, grant.length() - 1)) : grant.equals(room)) {
                return true;
            }
        }
        return false;
    }
}
