package io.realtimegateway.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.CloseCodes;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.CommandParser;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.ServerFrames;

/**
 * The per-connection inbound message rate ({@code gateway.inbound.rate} per second, bursts of
 * {@code gateway.inbound.burst}). A frame over the rate is not processed and is answered with an {@code error}
 * ({@code rate_limited}, with the frame's {@code ref}); a client that goes on regardless
 * ({@code gateway.inbound.max-violations} refused frames in a row) is closed with 1008. Ping frames count too ({@link #ping}): they are answered with a pong as RFC 6455 asks, and
 * a peer that keeps pinging over the rate is closed with 1008 likewise. Called on the connection's event loop, one
 * frame at a time. Non-blocking.
 */
@ApplicationScoped
public class InboundLimiter {

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    /**
     * Counts one text frame; a refused one is answered with {@code rate_limited} carrying the frame's {@code ref}
     * ({@link CommandParser#refOf}), so a client waiting for the answer to that {@code ref} gets one.
     *
     * @param text the frame, or {@code null} for one with no {@code ref}
     * @return {@code true} when the frame may be processed
     */
    public boolean admit(ClientSession session, String text) {
        return admit(session, text, null);
    }

    /**
     * Counts one binary frame of {@code /ws/chat}; a refused one is answered with {@code rate_limited} carrying the
     * {@code ref} of its header ({@link CommandParser#refOfBinary}).
     *
     * @return {@code true} when the frame may be processed
     */
    public boolean admitBinary(ClientSession session, byte[] frame) {
        return admit(session, null, frame);
    }

    private boolean admit(ClientSession session, String text, byte[] binary) {
        long now = System.nanoTime();
        if (session.inbound(config.inbound().rate(), config.inbound().burst(), now)) {
            return true;
        }
        metrics.rateLimited("message");
        if (session.inboundViolations() >= config.inbound().maxViolations()) {
            session.close(CloseCodes.POLICY_VIOLATION);
        } else {
            String ref = text != null ? CommandParser.refOf(text)
                    : binary != null ? CommandParser.refOfBinary(binary) : null;
            session.send(ServerFrames.error(ref, ErrorCode.RATE_LIMITED, "too many messages; at most "
                    + config.inbound().rate() + " per second (bursts of " + config.inbound().burst() + ")"));
        }
        return false;
    }

    /**
     * Counts one frame with no {@code ref} to answer with (a binary frame of an endpoint that takes none, or echoed).
     *
     * @return {@code true} when the frame may be processed
     */
    public boolean admit(ClientSession session) {
        return admit(session, null, null);
    }

    /** Counts one ping frame of the connection toward its rate; over it for too long, the connection is closed. */
    public void ping(ClientSession session) {
        if (session.inbound(config.inbound().rate(), config.inbound().burst(), System.nanoTime())) {
            return;
        }
        metrics.rateLimited("ping");
        if (session.inboundViolations() >= config.inbound().maxViolations()) {
            session.close(CloseCodes.POLICY_VIOLATION);
        }
    }
}
