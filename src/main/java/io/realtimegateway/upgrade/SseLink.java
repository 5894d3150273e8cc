package io.realtimegateway.upgrade;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.transport.FrameWriter;
import io.realtimegateway.transport.SseStream;
import io.vertx.core.MultiMap;

/**
 * An event stream of the HTTP fallback as a {@link ClientLink}: frames are events, the close is a final {@code close}
 * event and the end of the response, the heartbeat is a comment line. Its parameters are the query of the request that
 * opened it; {@code since} falls back to its {@code Last-Event-ID} header.
 */
final class SseLink implements ClientLink {

    private final String id;
    private final SseStream stream;
    private final UserData userData;
    private final MultiMap query;
    private final String lastEventId;

    SseLink(String id, SseStream stream, UserData userData, MultiMap query, String lastEventId) {
        this.id = id;
        this.stream = stream;
        this.userData = userData;
        this.query = query;
        this.lastEventId = lastEventId;
    }

    SseStream stream() {
        return stream;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public UserData userData() {
        return userData;
    }

    @Override
    public String parameter(String name) {
        String value = query.get(name);
        if (value == null && "since".equals(name) && lastEventId != null && !lastEventId.isBlank()) {
            return lastEventId.trim();
        }
        return value;
    }

    @Override
    public FrameWriter writer() {
        return stream;
    }

    @Override
    public void close(CloseReason reason) {
        stream.end(reason);
    }

    @Override
    public CloseReason closeReason() {
        return stream.closeReason();
    }

    @Override
    public boolean isOpen() {
        return stream.isOpen();
    }

    @Override
    public void ping(Runnable taken) {
        stream.heartbeat(taken);
    }

    @Override
    public void terminate() {
        stream.cut();
    }
}
