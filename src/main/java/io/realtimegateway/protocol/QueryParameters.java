package io.realtimegateway.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads a parameter out of a raw URL query string. Pure. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** @return the decoded value of the first {@code name=value} pair, or {@code null} when absent or empty */
    public static String first(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw; // a malformed escape: the caller validates the value and answers with an error
        }
    }
}
