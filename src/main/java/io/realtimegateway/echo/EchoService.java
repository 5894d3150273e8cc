package io.realtimegateway.echo;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.message.Endpoint;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.InboundLimiter;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.upgrade.SessionFactory;
import io.vertx.core.buffer.Buffer;

/**
 * The echo endpoint's one rule: each message, text or binary, goes back to its sender unchanged, through the
 * connection's frame writer, within the inbound rate ({@link InboundLimiter}: a message over it is answered with a
 * JSON {@code error}, as on {@code /ws/chat}). Messages of one connection arrive one at a time on its event loop, so
 * their echoes leave in the order received. Non-blocking.
 */
@ApplicationScoped
public class EchoService implements SessionHandler {

    @Inject
    SessionFactory sessions;

    @Inject
    InboundLimiter limiter;

    @Inject
    GatewayMetrics metrics;

    @Override
    public Endpoint endpoint() {
        return Endpoint.ECHO;
    }

    @Override
    public void open(ClientLink link) {
        sessions.open(link, Endpoint.ECHO);
    }

    @Override
    public void onText(ClientSession session, String text) {
        metrics.messageReceived(Endpoint.ECHO, text);
        if (limiter.admit(session)) {
            session.send(OutboundFrame.of(text));
        }
    }

    @Override
    public void onBinary(ClientSession session, Buffer data) {
        metrics.messageReceived(Endpoint.ECHO, data.length());
        if (limiter.admit(session)) {
            session.send(OutboundFrame.binary(data.getBytes()));
        }
    }
}
