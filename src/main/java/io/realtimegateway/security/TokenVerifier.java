package io.realtimegateway.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.realtimegateway.message.Identity;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The one door through which a bearer token becomes an {@link Identity}, for the upgrade and for a refresh in band:
 * smallrye-jwt verifies it against the standard {@code mp.jwt.verify.*} settings (signature, expiry, not-before,
 * issuer, audience).
 * <p>
 * Threading: where the verification keys come from a URL ({@code mp.jwt.verify.publickey.location} starting with
 * {@code http}, a JWKS endpoint), verifying may fetch them, so it runs on a worker thread and the {@code Uni} completes
 * there. Otherwise (a key inline, in a file or on the class path; the file is read once, at the first token) it is
 * computation, an RS256 signature check and the claims' parsing, and runs on the caller's thread when the {@code Uni}
 * is subscribed ({@link #verifiesInline()}): an upgrade then costs no hand-over to a worker and back, which made the
 * worker pool grow by one thread per concurrent upgrade (76 threads after a burst of 10,000).
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

    private final boolean inline;

    @Inject
    TokenVerifier(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation) {
        this.inline = keyLocation.map(location -> !location.regionMatches(true, 0, "http", 0, 4)).orElse(true);
    }

    /** Whether {@link #verify} runs on the subscriber's thread (local keys), not on a worker thread (remote keys). */
    public boolean verifiesInline() {
        return inline;
    }

    /**
     * Verifies {@code token}: on the subscriber's thread when {@link #verifiesInline()}, else on a worker thread. Never
     * fails: a bad token is a {@link Verdict}.
     */
    public Uni<Result> verify(String token) {
        Uni<Result> verification = Uni.createFrom().item(() -> verifyNow(token));
        return inline ? verification : verification.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
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
