package io.realtimegateway.security;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.lifecycle.ConnectionDeadlines;
import io.realtimegateway.message.Identity;
import io.realtimegateway.protocol.ClientCommand;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;

/**
 * A new token for an open connection, in band, on both endpoints: {@code {"type":"refresh","token":..,"ref":..}}.
 * <p>
 * A token that verifies ({@link TokenVerifier}) and names the connection's own user replaces its identity: the 4001
 * deadline and the next {@code token_expiring} move to its {@code exp}, roles and room grants come from it, and each
 * private room the connection is in that it no longer grants is left, the client told with {@code left}. The answer
 * is {@code {"type":"ack","ref":..,"exp":..}}. Any other token (invalid, expired, another user, not role
 * {@code user}) is answered {@code invalid_token} and changes nothing: the old deadline still applies.
 * <p>
 * Non-blocking: the token is verified on a worker thread, and the answer is sent from there.
 */
@ApplicationScoped
public class TokenRefresh {

    private static final Logger LOG = Logger.getLogger(TokenRefresh.class);

    @Inject
    TokenVerifier verifier;

    @Inject
    ConnectionDeadlines deadlines;

    @Inject
    ConnectionRegistry registry;

    public void refresh(ClientSession session, ClientCommand.Refresh refresh) {
        verifier.verify(refresh.token()).subscribe().with(result -> {
            Identity identity = result.identity();
            if (result.verdict() != TokenVerifier.Verdict.ACCEPTED || !identity.user().equals(session.user())) {
                LOG.debugf("refresh refused for %s: %s", session, result.verdict());
                session.send(ServerFrames.error(refresh.ref(), ErrorCode.INVALID_TOKEN,
                        "the token is not valid for this connection (it must verify and be of the same user); "
                                + "the current one still expires as before"));
                return;
            }
            session.refreshIdentity(identity);
            for (String room : List.copyOf(session.rooms())) {
                if (!RoomAccess.mayJoin(identity, room) && registry.leave(session, room)) {
                    session.send(ServerFrames.left(room, "forbidden"));
                }
            }
            deadlines.tokenRefreshed(session);
            session.send(ServerFrames.refreshed(refresh.ref(), identity.expiresAtMillis() / 1000));
        });
    }
}
