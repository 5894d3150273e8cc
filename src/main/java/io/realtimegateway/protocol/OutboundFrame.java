package io.realtimegateway.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One server frame, encoded once and shared by every recipient. Immutable, so it can be handed to any number of
 * connections on any thread.
 *
 * @param text the JSON text of the frame
 * @param bytes its UTF-8 length, counted once, for the outbound queue bound
 */
public record OutboundFrame(String text, int bytes) {

    public static OutboundFrame of(String text) {
        return new OutboundFrame(text, utf8Length(text));
    }

    static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // Rare on this protocol (JSON escapes are ASCII): count exactly by encoding.
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
