package io.realtimegateway.endpoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.upgrade.SessionFactory;
import io.vertx.core.http.HttpClosedException;

/**
 * What happens when an endpoint callback fails unexpectedly: the failure is logged with the connection id, the client
 * gets an {@code error} frame ({@code internal}) and keeps its connection. The server and other clients are not
 * affected.
 */
@ApplicationScoped
public class EndpointErrors {

    private static final Logger LOG = Logger.getLogger(EndpointErrors.class);

    @Inject
    SessionFactory sessions;

    @Inject
    GatewayMetrics metrics;

    public void handle(Endpoint endpoint, Throwable failure, WebSocketConnection connection) {
        ClientSession session = sessions.find(connection);
        if (isMessageTooBig(failure)) {
            // Vert.x reports a reassembled message over the limit as an exception and then keeps the connection.
            LOG.debugf("closing %s connection %s: %s", endpoint.tag(), connection.id(), failure.getMessage());
            if (session != null) {
                session.close(CloseCodes.MESSAGE_TOO_BIG);
            } else {
                connection.close(CloseCodes.MESSAGE_TOO_BIG).subscribe().with(ok -> {
                }, ignored -> {
                });
            }
            return;
        }
        if (failure instanceof HttpClosedException || connection.isClosed()) {
            LOG.debugf("%s connection %s ended: %s", endpoint.tag(), connection.id(), failure.toString());
            return;
        }
        LOG.errorf(failure, "failure on %s connection %s", endpoint.tag(), connection.id());
        metrics.handlerFailed(endpoint);
        if (session != null) {
            session.send(ServerFrames.error(null, ErrorCode.INTERNAL, "the server failed to handle your message"));
        }
    }

    private static boolean isMessageTooBig(Throwable failure) {
        return failure instanceof IllegalStateException
                && failure.getMessage() != null
                && failure.getMessage().contains("overflow max message size");
    }
}
