package io.realtimegateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Encodes every frame the server sends. Each method encodes exactly once; broadcasts reuse the result for all
 * recipients.
 */
public final class ServerFrames {

    private ServerFrames() {
    }

    /** {@code {"type":"ack","ref":..,"room":..,"id":..}}; {@code id} only for a publish. */
    public static OutboundFrame ack(String ref, String room, String id) {
        return encode(ackNode(ref, room, id));
    }

    /** The ack of a join with {@code since}: {@code {"type":"ack","ref":..,"room":..,"recovered":true|false}}. */
    public static OutboundFrame recoveryAck(String ref, String room, boolean recovered) {
        return encode(ackNode(ref, room, null).put("recovered", recovered));
    }

    /**
     * The ack of a join with {@code rewind}: {@code {"type":"ack","ref":..,"room":..,"rewound":n}}, {@code n} the
     * number of the room's messages that follow before live ones.
     */
    public static OutboundFrame rewindAck(String ref, String room, int rewound) {
        return encode(ackNode(ref, room, null).put("rewound", rewound));
    }

    private static ObjectNode ackNode(String ref, String room, String id) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "ack");
        if (ref != null) {
            node.put("ref", ref);
        }
        if (room != null) {
            node.put("room", room);
        }
        if (id != null) {
            node.put("id", id);
        }
        return node;
    }

    /** The answer to a client's {@code ping}: {@code {"type":"pong"}}, with the ping's {@code ref} if it had one. */
    /** The answer to a {@code refresh}: {@code {"type":"ack","ref":..,"exp":..}}, {@code exp} in epoch seconds. */
    public static OutboundFrame refreshed(String ref, long expSeconds) {
        return encode(ackNode(ref, null, null).put("exp", expSeconds));
    }

    /**
     * {@code {"type":"token_expiring","exp":..}}: the connection's token expires at {@code exp} (epoch seconds); send
     * a {@code refresh} before then, or the connection is closed with 4001.
     */
    public static OutboundFrame tokenExpiring(long expSeconds) {
        return encode(Json.MAPPER.createObjectNode().put("type", "token_expiring").put("exp", expSeconds));
    }

    /**
     * {@code {"type":"left","room":..,"reason":"forbidden"}}: the server took the connection out of a room, because the
     * refreshed token no longer grants it; the client should not rejoin it.
     */
    public static OutboundFrame left(String room, String reason) {
        return encode(Json.MAPPER.createObjectNode().put("type", "left").put("room", room).put("reason", reason));
    }

    /**
     * {@code {"type":"resync","room":..}} (for a user's notifications, {@code {"type":"resync"}}): messages of the
     * room (or stream) were lost on their way to this instance and the history no longer holds them; the client should
     * reload its state, as after a {@code recovered: false}.
     */
    public static OutboundFrame resync(String room) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "resync");
        if (room != null) {
            node.put("room", room);
        }
        return encode(node);
    }

    public static OutboundFrame pong(String ref) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "pong");
        if (ref != null) {
            node.put("ref", ref);
        }
        return encode(node);
    }

    /** {@code {"type":"error","ref":..,"code":..,"message":..}}; {@code ref} only when the client sent one. */
    public static OutboundFrame error(String ref, ErrorCode code, String message) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "error");
        if (ref != null) {
            node.put("ref", ref);
        }
        node.put("code", code.wire()).put("message", message);
        return encode(node);
    }

    /** {@code {"type":"message","room":..,"id":..,"from":..,"data":..,"ts":..}} */
    public static OutboundFrame message(String room, String id, String from, JsonNode data, long ts) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("type", "message").put("room", room).put("id", id).put("from", from);
        node.set("data", data);
        node.put("ts", ts);
        return encode(node);
    }

    /**
     * A {@code message} frame waiting for its id: the form a history numbers ({@link IdFrame}). The id is written
     * before any client-supplied field, so the first occurrence of the placeholder is the id's.
     */
    public static IdFrame messageTemplate(String room, String from, JsonNode data, long ts) {
        return template(message(room, ID_PLACEHOLDER, from, data, ts));
    }

    /**
     * A binary {@code message} waiting for its id: the header
     * {@code {"type":"message","room":..,"id":..,"from":..,"ts":..}} and {@code payload}, which is owned by the frame
     * from now on (see {@link OutboundFrame#binaryMessage}).
     */
    public static IdFrame binaryMessageTemplate(String room, String from, long ts, byte[] payload) {
        IdFrame header = template(encode(Json.MAPPER.createObjectNode().put("type", "message").put("room", room)
                .put("id", ID_PLACEHOLDER).put("from", from).put("ts", ts)));
        return new IdFrame(header.head(), header.tail(), payload);
    }

    /** A {@code notification} frame waiting for its id. */
    public static IdFrame notificationTemplate(JsonNode data, long ts) {
        return template(notification(ID_PLACEHOLDER, data, ts));
    }

    private static final String ID_PLACEHOLDER = "\u0000id";

    private static IdFrame template(OutboundFrame frame) {
        String text = frame.text();
        String quoted = "\"" + "\\u0000id" + "\"";
        int at = text.indexOf(quoted);
        return new IdFrame(text.substring(0, at + 1), text.substring(at + quoted.length() - 1));
    }

    /** The answer to a {@code presence} query: {@code {"type":"presence","ref":..,"room":..,"users":[..]}}. */
    public static OutboundFrame presence(String ref, String room, Collection<String> users) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "presence");
        if (ref != null) {
            node.put("ref", ref);
        }
        node.put("room", room);
        ArrayNode list = node.putArray("users");
        users.forEach(list::add);
        return encode(node);
    }

    /** {@code {"type":"presence_diff","room":..,"joined":[..],"left":[..]}} */
    public static OutboundFrame presenceDiff(String room, Collection<String> joined, Collection<String> left) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "presence_diff").put("room", room);
        joined.forEach(node.putArray("joined")::add);
        left.forEach(node.putArray("left")::add);
        return encode(node);
    }

    /**
     * The first event of an event stream (the HTTP fallback transport): {@code {"type":"session","session":..}}, the id
     * the client's frames are posted to.
     */
    public static OutboundFrame session(String id) {
        return encode(Json.MAPPER.createObjectNode().put("type", "session").put("session", id));
    }

    /**
     * The last event of an event stream the server ends: {@code {"type":"close","code":..,"reason":..}}, the code and
     * reason a WebSocket close frame would carry (a 1001's reason is its reconnect hint, {@code {"retryAfterMs":n}}).
     */
    public static OutboundFrame close(int code, String reason) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "close").put("code", code);
        if (reason != null && !reason.isEmpty()) {
            node.put("reason", reason);
        }
        return encode(node);
    }

    /** {@code {"type":"notification","id":..,"data":..,"ts":..}} */
    public static OutboundFrame notification(String id, JsonNode data, long ts) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("type", "notification").put("id", id);
        node.set("data", data);
        node.put("ts", ts);
        return encode(node);
    }

    private static OutboundFrame encode(ObjectNode node) {
        try {
            return OutboundFrame.of(Json.MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            // A tree built from parsed JSON always serializes; reaching this is a bug.
            throw new IllegalStateException("cannot encode server frame", e);
        }
    }
}
