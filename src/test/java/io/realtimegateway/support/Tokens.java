package io.realtimegateway.support;

import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** Mints tokens signed with the test private key (src/test/resources/test-keys), as an identity provider would. */
public final class Tokens {

    /** The issuer the test profile and {@link PackagedApp#baseSettings()} require. */
    public static final String ISSUER = "https://realtime-gateway.test";

    private static final PrivateKey KEY = load("test-keys/privateKey.pem");
    private static final PrivateKey EC_KEY = loadEc("test-keys/ec-privateKey.pem");

    private Tokens() {
    }

    private static PrivateKey loadEc(String resource) {
        try {
            return KeyUtils.readPrivateKey(resource, SignatureAlgorithm.ES256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test EC signing key " + resource, e);
        }
    }

    private static PrivateKey load(String resource) {
        try {
            return KeyUtils.readPrivateKey(resource);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test signing key " + resource, e);
        }
    }

    /** A token of a browser user: role {@code user}, valid for an hour. */
    public static String user(String name) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A user token that may join the given private rooms (exact names or {@code prefix*}). */
    public static String userWithRooms(String name, String... rooms) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).claim("rooms", List.of(rooms))
                .expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A service token with role {@code publisher}, for the REST API. */
    public static String publisher(String service) {
        return Jwt.issuer(ISSUER).subject(service).groups(Set.of("publisher")).expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A valid token with the given roles. */
    public static String withRoles(String name, String... roles) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of(roles)).expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A user token signed by a key the server does not know. */
    public static String signedByAnotherKey(String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).expiresIn(Duration.ofHours(1))
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user token that becomes valid only in the future ({@code nbf}). */
    public static String notYetValid(String name) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).claim("nbf", Instant.now().getEpochSecond() + 3600).expiresIn(Duration.ofHours(2)).sign(KEY);
    }

    /** A user token from another issuer. */
    public static String fromIssuer(String issuer, String name) {
        return Jwt.issuer(issuer).subject(name).groups(Set.of("user")).expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /** A user token for the given audience. */
    public static String forAudience(String audience, String name) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).audience(audience)
                .expiresIn(Duration.ofHours(1)).sign(KEY);
    }

    /**
     * A user token signed with ES256 by the test EC key (src/test/resources/test-keys/ec-privateKey.pem).
     *
     * @param audience the {@code aud}, or {@code null} for none
     */
    public static String es256(String name, String audience) {
        JwtClaimsBuilder claims = Jwt.issuer(ISSUER).subject(name).groups(Set.of("user"))
                .expiresIn(Duration.ofHours(1));
        if (audience != null) {
            claims.audience(audience);
        }
        return claims.jws().algorithm(SignatureAlgorithm.ES256).sign(EC_KEY);
    }

    /** A user token that expires at the given instant. */
    public static String expiringAt(String name, Instant exp) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign(KEY);
    }

    /** A user token that may join the given private rooms and expires at the given instant. */
    public static String userWithRoomsExpiringAt(String name, Instant exp, String... rooms) {
        return Jwt.issuer(ISSUER).subject(name).groups(Set.of("user")).claim("rooms", List.of(rooms))
                .issuedAt(exp.minusSeconds(60)).expiresAt(exp).sign(KEY);
    }
}
