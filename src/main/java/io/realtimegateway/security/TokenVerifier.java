package io.realtimegateway.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.message.Identity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one door through which a bearer token becomes an {@link Identity}, for the upgrade and for a refresh in band:
 * smallrye-jwt verifies it against the standard {@code mp.jwt.verify.*} settings (signature, expiry, not-before,
 * issuer, audience). Verification may fetch keys (a JWKS URL), so it runs on a worker thread; the {@code Uni} completes
 * there.
 */
@ApplicationScoped
public class TokenVerifier {

    /** The role a token needs to open a WebSocket connection, and to refresh one. */
    public static final String USER_ROLE = "user";

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class);

    /** What a token turned out to be. */
    public enum Verdict {
        /** Verified, names a user and grants role {@code user}. */
        ACCEPTED,
        /** It failed verification. */
        INVALID,
        /** Verified, but names no user or lacks role {@code user}. */
        NOT_A_USER
    }

    /** @param identity the token's identity when {@link Verdict#ACCEPTED}, else {@code null} */
    public record Result(Verdict verdict, Identity identity) {
    }

    @Inject
    JWTParser parser;

    /** Verifies {@code token} on a worker thread. Never fails: a bad token is a {@link Verdict}. */
    public Uni<Result> verify(String token) {
        return Uni.createFrom().item(() -> verifyNow(token)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Result verifyNow(String token) {
        Identity identity;
        try {
            identity = Identities.from(parser.parse(token));
        } catch (ParseException e) {
            LOG.debugf("invalid token: %s", e.getMessage());
            return new Result(Verdict.INVALID, null);
        }
        if (identity == null || !identity.roles().contains(USER_ROLE)) {
            return new Result(Verdict.NOT_A_USER, null);
        }
        return new Result(Verdict.ACCEPTED, identity);
    }
}
