package io.realtimegateway.broadcast;

/**
 * Where a message goes: a room, one user's notification connections, or every chat connection.
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
        ALL
    }

    public static Topic room(String room) {
        return new Topic(Kind.ROOM, room);
    }

    public static Topic user(String user) {
        return new Topic(Kind.USER, user);
    }
}
