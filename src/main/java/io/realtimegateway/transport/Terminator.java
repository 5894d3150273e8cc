package io.realtimegateway.transport;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;

/**
 * Ends a connection at once, without a close handshake: the TCP connection is closed and the client sees 1006, as with
 * the {@code ws} library's {@code terminate()}. For peers that no longer answer (heartbeat) or never finish closing
 * (drain timeout). Non-blocking, safe to call more than once.
 */
@FunctionalInterface
public interface Terminator {

    void terminate();

    UserData.TypedKey<Terminator> KEY = new UserData.TypedKey<>("realtime-gateway.terminator");

    static void attach(UserData userData, Terminator terminator) {
        userData.put(KEY, terminator);
    }

    /** The connection's terminator; for a connection without one, a close with 1001 is the nearest thing. */
    static Terminator of(WebSocketConnection connection) {
        Terminator terminator = connection.userData().get(KEY);
        if (terminator != null) {
            return terminator;
        }
        return () -> connection.close(new CloseReason(1001, "terminated")).subscribe().with(ok -> {
        }, ignored -> {
        });
    }
}
