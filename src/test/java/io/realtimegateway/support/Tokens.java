package io.realtimegateway.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/** Mints tokens signed with the test private key (src/test/resources/test-keys), as an identity provider would. */
public final class Tokens {

    private Tokens() {
    }

    /** A token of a browser user: role {@code user}, valid for an hour. */
    public static String user(String name) {
        return Jwt.subject(name).groups(Set.of("user")).expiresIn(Duration.ofHours(1)).sign();
    }

    /** A user token that may join the given private rooms (exact names or {@code prefix*}). */
    public static String userWithRooms(String name, String... rooms) {
        return Jwt.subject(name).groups(Set.of("user")).claim("rooms", List.of(rooms))
                .expiresIn(Duration.ofHours(1)).sign();
    }

    /** A service token with role {@code publisher}, for the REST API. */
    public static String publisher(String service) {
        return Jwt.subject(service).groups(Set.of("publisher")).expiresIn(Duration.ofHours(1)).sign();
    }

    /** A valid token with the given roles. */
    public static String withRoles(String name, String... roles) {
        return Jwt.subject(name).groups(Set.of(roles)).expiresIn(Duration.ofHours(1)).sign();
    }

    /** A user token that expires at the given instant. */
    public static String expiringAt(String name, Instant exp) {
        return Jwt.subject(name).groups(Set.of("user")).issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign();
    }
}
