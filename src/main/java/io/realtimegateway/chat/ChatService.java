package io.realtimegateway.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.realtimegateway.broadcast.Broadcaster;
import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.message.Topic;
import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.presence.Presence;
import io.realtimegateway.protocol.ClientCommand;
import io.realtimegateway.protocol.CommandParser;
import io.realtimegateway.protocol.ErrorCode;
import io.realtimegateway.protocol.Json;
import io.realtimegateway.protocol.ProtocolException;
import io.realtimegateway.protocol.ServerFrames;
import io.realtimegateway.recovery.Recovery;
import io.realtimegateway.security.RoomAccess;
import io.realtimegateway.security.TokenRefresh;
import io.realtimegateway.session.ClientLink;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;
import io.realtimegateway.session.InboundLimiter;
import io.realtimegateway.session.SessionHandler;
import io.realtimegateway.upgrade.SessionFactory;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * The rules of {@code /ws/chat}: join, leave, publish (JSON, or bytes in a binary frame), presence queries, ping and
 * token refresh. While the connection stays open, a client frame that carried a {@code ref} (in a binary frame: in
 * its header) gets exactly one answer with that {@code ref}: an {@code ack}, a {@code presence}, a {@code pong} or an
 * {@code error} (including the {@code rate_limited} error of a frame over the inbound rate); a refused frame without {@code ref} gets an {@code error} without one. A refused frame never affects
 * another client and never closes the connection, with one exception: the refusal that makes
 * {@code gateway.inbound.max-violations} in a row closes it with 1008 instead of answering ({@link InboundLimiter}).
 * <p>
 * Threading: called on the connection's event loop, one frame at a time per connection; never blocks. An answer that
 * waits for the broker, the presence store or a token verification is sent from the thread that completes it.
 */
@ApplicationScoped
public class ChatService implements SessionHandler {

    private static final Logger LOG = Logger.getLogger(ChatService.class);

    @Inject
    SessionFactory sessions;

    @Inject
    ConnectionRegistry registry;

    @Inject
    Broadcaster broadcaster;

    @Inject
    Broker broker;

    @Inject
    GatewayConfig config;

    @Inject
    GatewayMetrics metrics;

    @Inject
    Recovery recovery;

    @Inject
    InboundLimiter limiter;

    @Inject
    Presence presence;

    @Inject
    TokenRefresh tokenRefresh;

    @Override
    public Endpoint endpoint() {
        return Endpoint.CHAT;
    }

    /**
     * Opens a chat connection. One that names a room in its opening request ({@code ?room=}, the one-room stream of
     * the HTTP fallback) joins it at once, as a {@code join} with {@code "ref":"open"} and, when the request says where
     * it resumes ({@code ?since=}, or an event stream's {@code Last-Event-ID}), that {@code since}.
     */
    @Override
    public void open(ClientLink link) {
        ClientSession session = sessions.open(link, Endpoint.CHAT);
        String room = link.parameter("room");
        if (room != null) {
            String since = link.parameter("since");
            ObjectNode join = Json.MAPPER.createObjectNode().put("type", "join").put("room", room).put("ref", "open");
            if (since != null) {
                join.put("since", since);
            }
            onText(session, join.toString());
        }
    }

    @Override
    public void onText(ClientSession session, String text) {
        metrics.messageReceived(Endpoint.CHAT, text);
        if (!limiter.admit(session, text)) {
            return;
        }
        ClientCommand command;
        try {
            command = CommandParser.parse(text);
        } catch (ProtocolException e) {
            session.send(ServerFrames.error(e.ref(), e.code(), e.getMessage()));
            return;
        }
        if (command instanceof ClientCommand.Join join) {
            join(session, join);
        } else if (command instanceof ClientCommand.Leave leave) {
            leave(session, leave);
        } else if (command instanceof ClientCommand.Presence query) {
            presence(session, query);
        } else if (command instanceof ClientCommand.Ping ping) {
            session.send(ServerFrames.pong(ping.ref()));
        } else if (command instanceof ClientCommand.Refresh refresh) {
            tokenRefresh.refresh(session, refresh);
        } else {
            publish(session, (ClientCommand.Publish) command);
        }
    }

    /**
     * A binary frame: a {@code publish} of bytes ({@link CommandParser#parseBinary}), answered like a text publish
     * (an {@code ack} with the message id, or an {@code error}, as JSON text frames).
     */
    @Override
    public void onBinary(ClientSession session, Buffer data) {
        metrics.messageReceived(Endpoint.CHAT, data.length());
        byte[] frame = data.getBytes();
        if (!limiter.admitBinary(session, frame)) {
            return;
        }
        ClientCommand.PublishBytes publish;
        try {
            publish = CommandParser.parseBinary(frame);
        } catch (ProtocolException e) {
            session.send(ServerFrames.error(e.ref(), e.code(), e.getMessage()));
            return;
        }
        if (mayPublish(session, publish)) {
            acked(session, publish, broadcaster.toRoom(publish.room(), session.user(), publish.payload(),
                    session.id()));
        }
    }

    private void join(ClientSession session, ClientCommand.Join join) {
        String room = join.room();
        if (!RoomAccess.mayJoin(session.identity(), room)) {
            refuse(session, join, ErrorCode.FORBIDDEN, "your token does not grant access to room '" + room + "'");
            return;
        }
        if (!session.rooms().contains(room) && session.rooms().size() >= config.limits().maxRoomsPerConnection()) {
            refuse(session, join, ErrorCode.TOO_MANY_ROOMS,
                    "a connection may be in at most " + config.limits().maxRoomsPerConnection() + " rooms");
            return;
        }
        Uni<Void> watching = join.presence() ? broker.subscribed(Topic.presence(room)) : Uni.createFrom().voidItem();
        if (join.since() == null && join.rewind() > 0) {
            // The room's subscription implies the presence one, as for since below.
            recovery.rewind(session, Topic.room(room), join.rewind(),
                    () -> registry.join(session, room, join.presence()), rewound -> {
                        if (join.ref() != null) {
                            session.send(ServerFrames.rewindAck(join.ref(), room, rewound));
                        }
                    });
            return;
        }
        if (join.since() == null) {
            registry.join(session, room, join.presence());
            Uni.combine().all().unis(broker.subscribed(Topic.room(room)), watching).discardItems().subscribe()
                    .with(ok -> ack(session, join, null));
            return;
        }
        // The registry adds the presence topic before the room's, so a Redis broker subscribes them in that order on
        // one connection: the room's subscription (awaited by the recovery) implies the presence one.
        recovery.join(session, Topic.room(room), join.since(), () -> registry.join(session, room, join.presence()),
                recovered -> {
                    if (join.ref() != null) {
                        session.send(ServerFrames.recoveryAck(join.ref(), room, recovered));
                    }
                });
    }

    private void presence(ClientSession session, ClientCommand.Presence query) {
        if (!session.rooms().contains(query.room())) {
            refuse(session, query, ErrorCode.NOT_MEMBER, "join room '" + query.room() + "' to see who is in it");
            return;
        }
        presence.users(query.room()).subscribe().with(
                users -> session.send(ServerFrames.presence(query.ref(), query.room(), users)),
                failure -> refuse(session, query, ErrorCode.UNAVAILABLE, "presence is unavailable; retry later"));
    }

    private void leave(ClientSession session, ClientCommand.Leave leave) {
        if (!registry.leave(session, leave.room())) {
            refuse(session, leave, ErrorCode.NOT_MEMBER, "you are not in room '" + leave.room() + "'");
            return;
        }
        ack(session, leave, null);
    }

    private void publish(ClientSession session, ClientCommand.Publish publish) {
        if (mayPublish(session, publish)) {
            acked(session, publish, broadcaster.toRoom(publish.room(), session.user(), publish.data(), session.id()));
        }
    }

    private static boolean mayPublish(ClientSession session, ClientCommand publish) {
        if (session.rooms().contains(publish.room())) {
            return true;
        }
        refuse(session, publish, ErrorCode.NOT_MEMBER, "join room '" + publish.room() + "' before publishing to it");
        return false;
    }

    /** Answers a publish once the broadcaster took it: an {@code ack} with the id, or {@code unavailable}. */
    private static void acked(ClientSession session, ClientCommand publish, Uni<String> published) {
        published.subscribe().with(
                id -> ack(session, publish, id),
                failure -> {
                    LOG.debugf("publish from %s to %s failed: %s", session, publish.room(), failure.toString());
                    refuse(session, publish, ErrorCode.UNAVAILABLE,
                            "the message reached only the members connected to this server; retry later");
                });
    }

    private static void ack(ClientSession session, ClientCommand command, String id) {
        if (command.ref() != null) {
            session.send(ServerFrames.ack(command.ref(), command.room(), id));
        }
    }

    private static void refuse(ClientSession session, ClientCommand command, ErrorCode code, String message) {
        session.send(ServerFrames.error(command.ref(), code, message));
    }
}
