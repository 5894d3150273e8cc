package io.realtimegateway.protocol;

/** The rule for room names: 1 to 128 characters from {@code [A-Za-z0-9._:-]}. */
public final class RoomNames {

    /** The longest accepted room name, in characters. */
    public static final int MAX_LENGTH = 128;

    private RoomNames() {
    }

    /**
     * Explains what is wrong with a room name.
     *
     * @return {@code null} when the name is valid, otherwise a sentence for the client
     */
    public static String problem(String room) {
        if (room == null || room.isEmpty()) {
            return "room must not be empty";
        }
        if (room.length() > MAX_LENGTH) {
            return "room must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < room.length(); i++) {
            if (!allowed(room.charAt(i))) {
                return "room may contain only letters, digits and . _ : -";
            }
        }
        return null;
    }

    public static boolean isValid(String room) {
        return problem(room) == null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == ':' || c == '-';
    }
}
