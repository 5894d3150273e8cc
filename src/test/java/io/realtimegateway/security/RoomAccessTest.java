package io.realtimegateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;
import io.realtimegateway.message.Identity;

class RoomAccessTest {

    private static Identity with(String... rooms) {
        return new Identity("u", Set.of("user"), Set.of(rooms), 0);
    }

    @Test
    void publicRoomsAreOpenToEveryone() {
        assertTrue(RoomAccess.mayJoin(with(), "lobby"));
        assertTrue(RoomAccess.mayJoin(with(), "privateish"));
    }

    @Test
    void privateRoomsNeedAnExactOrPrefixGrant() {
        assertFalse(RoomAccess.mayJoin(with(), "private:a"));
        assertTrue(RoomAccess.mayJoin(with("private:a"), "private:a"));
        assertFalse(RoomAccess.mayJoin(with("private:a"), "private:ab"));
        assertTrue(RoomAccess.mayJoin(with("private:team-*"), "private:team-x"));
        assertFalse(RoomAccess.mayJoin(with("private:team-*"), "private:teal"));
        assertTrue(RoomAccess.mayJoin(with("*"), "private:anything"));
    }
}
