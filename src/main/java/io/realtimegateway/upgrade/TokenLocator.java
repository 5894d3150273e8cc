package io.realtimegateway.upgrade;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Finds the bearer token of an upgrade request, in this order: the {@code access_token} query parameter (browsers'
 * WebSocket API cannot set headers), the token cookie, the {@code Authorization: Bearer} header.
 */
public final class TokenLocator {

    /** The query parameter that carries a token. */
    public static final String QUERY_PARAMETER = "access_token";

    private TokenLocator() {
    }

    /** Where a token was found; {@link #NONE} when there is none. */
    public enum Source {
        QUERY,
        COOKIE,
        HEADER,
        NONE
    }

    public record Located(Source source, String token) {
    }

    public static Located locate(HttpServerRequest request, String cookieName) {
        String query = request.getParam(QUERY_PARAMETER);
        if (query != null && !query.isBlank()) {
            return new Located(Source.QUERY, query.trim());
        }
        Cookie cookie = request.getCookie(cookieName);
        if (cookie != null && !cookie.getValue().isBlank()) {
            return new Located(Source.COOKIE, cookie.getValue().trim());
        }
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() > 7) {
            return new Located(Source.HEADER, header.substring(7).trim());
        }
        return new Located(Source.NONE, null);
    }
}
