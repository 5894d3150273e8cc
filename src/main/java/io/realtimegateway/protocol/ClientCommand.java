package io.realtimegateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import io.realtimegateway.message.StreamId;

/** A validated client frame of {@code /ws/chat}. Every field has been checked by {@link CommandParser}. */
public sealed interface ClientCommand {

    /** The client's correlation string, or {@code null} when the frame carried none. */
    String ref();

    /**
     * The room the command is about: always a valid room name, except {@code null} for {@link Ping} and
     * {@link Refresh}.
     */
    String room();

    /**
     * {@code {"type":"ping","ref":"4"}}: an application-level ping, answered with {@code pong}. Browsers cannot see
     * WebSocket ping frames, so clients use this to tell a silent server from a quiet room.
     */
    record Ping(String ref) implements ClientCommand {
        @Override
        public String room() {
            return null;
        }
    }

    /**
     * {@code {"type":"join","room":"lobby","ref":"1","since":"<last id seen>","presence":true}}; {@code since} is
     * optional and asks for the messages published after it; {@code rewind} (optional, {@value #MIN_REWIND} to
     * {@value #MAX_REWIND}; 0 here when absent) asks for the room's newest messages, and is ignored when
     * {@code since} is given; {@code presence} (default {@code false}) asks for {@code presence_diff} events of the
     * room.
     */
    record Join(String room, String ref, StreamId since, int rewind, boolean presence) implements ClientCommand {

        /** The fewest messages a {@code rewind} asks for. */
        public static final int MIN_REWIND = 1;
        /** The most messages a {@code rewind} asks for. */
        public static final int MAX_REWIND = 100;
    }

    /** {@code {"type":"presence","room":"lobby","ref":"7"}}: who is in the room, answered with a {@code presence}. */
    record Presence(String room, String ref) implements ClientCommand {
    }

    /**
     * {@code {"type":"refresh","token":"<jwt>","ref":"9"}}: a new token for this connection, of the same user, before
     * the current one expires; answered with an {@code ack} carrying the new {@code exp}, or {@code invalid_token}.
     */
    record Refresh(String token, String ref) implements ClientCommand {
        @Override
        public String room() {
            return null;
        }

        /** Not the token itself: it must not reach logs. */
        @Override
        public String toString() {
            return "Refresh[ref=" + ref + "]";
        }
    }

    /** {@code {"type":"leave","room":"lobby","ref":"2"}} */
    record Leave(String room, String ref) implements ClientCommand {
    }

    /** {@code {"type":"publish","room":"lobby","data":<any JSON>,"ref":"3"}} */
    record Publish(String room, JsonNode data, String ref) implements ClientCommand {
    }

    /**
     * A binary frame: the header {@code {"type":"publish","room":"lobby","ref":"3"}}, then {@code payload}, the bytes
     * every other member receives unchanged (see {@link CommandParser#parseBinary}).
     *
     * @param payload owned by the command: never modify it
     */
    record PublishBytes(String room, byte[] payload, String ref) implements ClientCommand {

        @Override
        public String toString() {
            return "PublishBytes[room=" + room + ", ref=" + ref + ", " + payload.length + " bytes]";
        }
    }
}
