package io.realtimegateway.upgrade;

import java.util.List;
import java.util.Map;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.security.TokenVerifier;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Admits a WebSocket upgrade only with a valid token that grants role {@code user}. The token is verified by
 * {@link TokenVerifier} (smallrye-jwt, the standard {@code mp.jwt.verify.*} settings). Refusals are plain HTTP responses, so no
 * WebSocket is ever opened and no endpoint callback runs: {@code 401} without a token, {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token"} for a token that fails verification (signature, expiry,
 * not-before, issuer, audience), {@code 403} for a valid token without the role.
 * <p>
 * Threading: with local keys the token is verified on the event loop; where verification may need to fetch keys (a
 * JWKS URL), it runs on a worker thread, never on the event loop, and the result is handed back on the request's own
 * Vert.x context ({@link TokenVerifier#verifiesInline()}).
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.TOKEN)
public class TokenUpgradeCheck implements HttpUpgradeCheck {

    private static final Logger LOG = Logger.getLogger(TokenUpgradeCheck.class);

    @Inject
    TokenVerifier verifier;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        TokenLocator.Located located = TokenLocator.locate(context.httpRequest(), config.auth().cookieName());
        if (located.source() == TokenLocator.Source.NONE) {
            metrics.upgradeRefused(401, "no_token");
            return CheckResult.rejectUpgrade(401, challenge("Bearer"));
        }
        Context requestContext = Vertx.currentContext();
        Uni<TokenVerifier.Result> verified = verifier.verify(located.token());
        if (requestContext != null && !verifier.verifiesInline()) {
            // Back onto the connection's event loop: the upgrade, @OnOpen and the first frames must share one
            // context, or a frame sent right after the upgrade can overtake @OnOpen.
            verified = verified.emitOn(task -> requestContext.runOnContext(ignored -> task.run()));
        }
        return verified.map(result -> admit(context, result));
    }

    private CheckResult admit(HttpUpgradeContext context, TokenVerifier.Result result) {
        switch (result.verdict()) {
            case INVALID -> {
                metrics.upgradeRefused(401, "invalid_token");
                return CheckResult.rejectUpgradeSync(401, challenge("Bearer error=\"invalid_token\""));
            }
            case NOT_A_USER -> {
                metrics.upgradeRefused(403, "role");
                return CheckResult.rejectUpgradeSync(403);
            }
            default -> {
                UpgradeIdentity.attach(context.userData(), result.identity());
                return CheckResult.permitUpgradeSync();
            }
        }
    }

    private static Map<String, List<String>> challenge(String value) {
        return Map.of("WWW-Authenticate", List.of(value));
    }
}
