package io.realtimegateway.transport;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.MultiMap;

/**
 * Lets go of what the framework keeps of an upgrade request for the whole life of the WebSocket it became, once the
 * connection is open and its session made: an idle authenticated connection then costs its socket, its session and
 * its pipeline, not a second copy of its HTTP request.
 * <p>
 * What is kept, and what is released (checked against vertx-core 4.5.27, vertx-web 4.5.27 and quarkus-websockets-next
 * 3.33.2, by reading their sources and a heap histogram of 10,000 idle connections):
 * <ul>
 * <li>websockets-next's {@code SecuritySupport} holds the upgrade's {@code RoutingContext} (and with it the request,
 * its headers, its parsed URI and the deferred security identity) to resolve an identity lazily. The gateway never
 * asks websockets-next for an identity (it verifies the token itself at the upgrade), so the reference is cleared;
 * websockets-next then sees no identity, as for an endpoint without security.</li>
 * <li>websockets-next's {@code HandshakeRequest} holds a lower-cased copy of every request header: emptied. The
 * gateway reads the handshake only in its {@code @OnOpen} (a notification stream's {@code since}), before this.</li>
 * <li>Vert.x's {@code ServerWebSocketImpl} holds the URI and query (each with the access token), a copy of the request
 * headers and the Netty handshaker (whose URI holds the token once more), all used only during the handshake: the URI
 * becomes the path, the query {@code null}, the headers an empty map, the handshaker {@code null}.</li>
 * </ul>
 * This class is the one place that knows these private fields. When a field is not found (a framework update renamed
 * it), nothing is released, start-up logs it once, and {@code HandshakeLeftoversAreReleasedTest} fails: the gateway
 * keeps working, with the larger footprint.
 * <p>
 * In a native image the fields are registered for reflection (the annotation on this class).
 * <p>
 * Threading: call on the connection's event loop, after the {@code @OnOpen} work that reads the handshake.
 */
@RegisterForReflection(fields = true, methods = false, classNames = {
        "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl",
        "io.quarkus.websockets.next.runtime.WebSocketConnectionBase",
        "io.quarkus.websockets.next.runtime.SecuritySupport",
        "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl$HandshakeRequestImpl",
        "io.vertx.ext.web.impl.ServerWebSocketWrapper",
        "io.vertx.core.http.impl.ServerWebSocketImpl",
        "io.vertx.core.http.impl.WebSocketImplBase" })
public final class HandshakeLeftovers {

    private static final Logger LOG = Logger.getLogger(HandshakeLeftovers.class);

    private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap();

    private static final Field CONNECTION_WEB_SOCKET = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl", "webSocket");
    private static final Field CONNECTION_HANDSHAKE = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionBase", "handshakeRequest");
    private static final Field CONNECTION_SECURITY = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl", "securitySupport");
    private static final Field SECURITY_ROUTING_CONTEXT = field(
            "io.quarkus.websockets.next.runtime.SecuritySupport", "routingContext");
    private static final Field HANDSHAKE_HEADERS = field(
            "io.quarkus.websockets.next.runtime.WebSocketConnectionImpl$HandshakeRequestImpl", "headers");
    private static final Field WRAPPER_DELEGATE = field("io.vertx.ext.web.impl.ServerWebSocketWrapper", "delegate");
    private static final Field WS_URI = field("io.vertx.core.http.impl.ServerWebSocketImpl", "uri");
    private static final Field WS_PATH = field("io.vertx.core.http.impl.ServerWebSocketImpl", "path");
    private static final Field WS_QUERY = field("io.vertx.core.http.impl.ServerWebSocketImpl", "query");
    private static final Field WS_HANDSHAKER = field("io.vertx.core.http.impl.ServerWebSocketImpl", "handshaker");
    private static final Field WS_HEADERS = field("io.vertx.core.http.impl.WebSocketImplBase", "headers");

    private static final List<Field> ALL = java.util.Arrays.asList(CONNECTION_WEB_SOCKET, CONNECTION_HANDSHAKE,
            CONNECTION_SECURITY, SECURITY_ROUTING_CONTEXT, HANDSHAKE_HEADERS, WRAPPER_DELEGATE, WS_URI, WS_PATH,
            WS_QUERY, WS_HANDSHAKER, WS_HEADERS);

    private static final boolean SUPPORTED = !ALL.contains(null);

    static {
        if (!SUPPORTED) {
            LOG.warn("The framework's WebSocket classes are not those HandshakeLeftovers knows: every connection keeps"
                    + " its upgrade request (a few KB each)");
        }
    }

    private HandshakeLeftovers() {
    }

    /** Whether every field this class relies on was found, so that {@link #release} does its work. */
    public static boolean supported() {
        return SUPPORTED;
    }

    /**
     * Releases the upgrade request's leftovers of {@code connection}; does nothing for a connection of another kind or
     * when {@link #supported()} is false. Never throws.
     */
    public static void release(WebSocketConnection connection) {
        if (!SUPPORTED || !CONNECTION_WEB_SOCKET.getDeclaringClass().isInstance(connection)) {
            return;
        }
        try {
            Object security = CONNECTION_SECURITY.get(connection);
            if (security != null && SECURITY_ROUTING_CONTEXT.getDeclaringClass().isInstance(security)) {
                SECURITY_ROUTING_CONTEXT.set(security, null);
            }
            Object handshake = CONNECTION_HANDSHAKE.get(connection);
            if (HANDSHAKE_HEADERS.getDeclaringClass().isInstance(handshake)) {
                HANDSHAKE_HEADERS.set(handshake, Map.of());
            }
            Object webSocket = CONNECTION_WEB_SOCKET.get(connection);
            if (WRAPPER_DELEGATE.getDeclaringClass().isInstance(webSocket)) {
                webSocket = WRAPPER_DELEGATE.get(webSocket);
            }
            if (WS_URI.getDeclaringClass().isInstance(webSocket)) {
                WS_URI.set(webSocket, WS_PATH.get(webSocket));
                WS_QUERY.set(webSocket, null);
                WS_HANDSHAKER.set(webSocket, null);
                WS_HEADERS.set(webSocket, NO_HEADERS);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf(e, "Could not release the handshake of %s", connection.id());
        }
    }

    /** The URI the framework keeps for {@code connection}'s WebSocket, for tests; {@code null} when unknown. */
    static String keptUri(WebSocketConnection connection) {
        return (String) read(connection, WS_URI);
    }

    /** The routing context websockets-next keeps for {@code connection}, for tests; {@code null} when released. */
    static Object keptRoutingContext(WebSocketConnection connection) {
        try {
            Object security = CONNECTION_SECURITY.get(connection);
            return security == null ? null : SECURITY_ROUTING_CONTEXT.get(security);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(WebSocketConnection connection, Field field) {
        try {
            Object webSocket = CONNECTION_WEB_SOCKET.get(connection);
            if (WRAPPER_DELEGATE.getDeclaringClass().isInstance(webSocket)) {
                webSocket = WRAPPER_DELEGATE.get(webSocket);
            }
            return field.getDeclaringClass().isInstance(webSocket) ? field.get(webSocket) : null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Field field(String className, String name) {
        try {
            Field field = Class.forName(className, false, HandshakeLeftovers.class.getClassLoader())
                    .getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("%s.%s not found: %s", className, name, e);
            return null;
        }
    }
}
