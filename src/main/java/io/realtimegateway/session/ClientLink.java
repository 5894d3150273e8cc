package io.realtimegateway.session;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.realtimegateway.transport.FrameWriter;

/**
 * What a {@link ClientSession} needs of the transport that carries it: a WebSocket ({@link #of}) or an event stream of
 * the HTTP fallback (Server-Sent Events). The session's rules (rooms, limits, deadlines, drain) are the same on both;
 * only how a frame, a close and a heartbeat reach the client differs.
 * <p>
 * Threading: every method may be called from any thread and never blocks.
 */
public interface ClientLink {

    /** The connection's id: unique on this instance, and unguessable for an event stream (its frames are posted to it). */
    String id();

    /** What the admission checks attached to the connection (the identity of its token). */
    UserData userData();

    /**
     * A parameter of the request that opened the connection (its query string), or {@code null}. For an event stream,
     * {@code since} falls back to the {@code Last-Event-ID} header a reconnecting {@code EventSource} sends.
     */
    String parameter(String name);

    /** Writes the connection's frames, with its flow control. */
    FrameWriter writer();

    /**
     * Ends the connection with {@code reason}: a WebSocket close frame, or an event stream's final {@code close} event
     * and the end of the response. Called after the frames written before it ({@link FrameWriter#closeAfterWrites}).
     */
    void close(CloseReason reason);

    /** The reason the connection ended with, or {@code null} when it ended without one (the peer went away). */
    CloseReason closeReason();

    /** Whether the connection has not ended yet. */
    boolean isOpen();

    /**
     * Sends the heartbeat: a ping frame (whose pong, not this call, proves the peer alive), or a comment line on an event
     * stream, whose peer cannot answer: there {@code taken} runs once the socket took the line.
     */
    void ping(Runnable taken);

    /** Cuts the connection at once, without a close handshake or a final event. Safe to call more than once. */
    void terminate();

    /** The link of a WebSocket connection. */
    static ClientLink of(WebSocketConnection connection) {
        return new WebSocketLink(connection);
    }
}
