package io.realtimegateway.security;

import java.util.HashSet;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import io.realtimegateway.message.Identity;

/** Reads an {@link Identity} out of a verified token. */
final class Identities {

    /** The token claim that lists the private rooms a user may join. */
    static final String ROOMS_CLAIM = "rooms";

    private Identities() {
    }

    /** @return the identity, or {@code null} when the token names no user ({@code sub} and {@code upn} absent) */
    static Identity from(JsonWebToken token) {
        String user = token.getSubject();
        if (user == null || user.isBlank()) {
            user = token.getName();
        }
        if (user == null || user.isBlank()) {
            return null;
        }
        Set<String> groups = token.getGroups() == null ? Set.of() : Set.copyOf(token.getGroups());
        long exp = token.getExpirationTime() * 1000L;
        return new Identity(user, groups, rooms(token.getClaim(ROOMS_CLAIM)), exp);
    }

    private static Set<String> rooms(Object claim) {
        if (claim == null) {
            return Set.of();
        }
        Set<String> rooms = new HashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString s) {
                    rooms.add(s.getString());
                }
            }
        } else if (claim instanceof JsonString s) {
            rooms.add(s.getString());
        } else if (claim instanceof Iterable<?> iterable) {
            iterable.forEach(v -> rooms.add(String.valueOf(v)));
        } else if (claim instanceof String s) {
            rooms.add(s);
        }
        return Set.copyOf(rooms);
    }
}
