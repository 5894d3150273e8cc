package io.realtimegateway.message;

/** The UTF-8 length of text, without encoding it. */
public final class Utf8 {

    private Utf8() {
    }

    /**
     * How many bytes {@code text} takes in UTF-8, as {@code String.getBytes(UTF_8)} encodes it: 1 per ASCII character,
     * 2 below U+0800, 4 per surrogate pair, 3 otherwise, and 1 for a lone surrogate (encoded as {@code ?}).
     */
    public static int length(CharSequence text) {
        int n = text.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
        }
        return bytes;
    }
}
