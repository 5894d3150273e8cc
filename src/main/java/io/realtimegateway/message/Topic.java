package io.realtimegateway.message;

/**
 * Where a message goes: a room, one user's notification connections, every chat connection, or the members of a room
 * that asked for its presence events.
 *
 * @param kind which index of the registry holds the recipients
 * @param name the room or user name; empty for {@link Kind#ALL}
 */
public record Topic(Kind kind, String name) {

    /** The one topic of every chat connection. */
    public static final Topic ALL = new Topic(Kind.ALL, "");

    public enum Kind {
        ROOM,
        USER,
        ALL,
        /** The members of a room that joined with {@code presence: true}; carries {@code presence_diff} events. */
        PRESENCE
    }

    public static Topic room(String room) {
        return new Topic(Kind.ROOM, room);
    }

    public static Topic presence(String room) {
        return new Topic(Kind.PRESENCE, room);
    }

    public static Topic user(String user) {
        return new Topic(Kind.USER, user);
    }
}
