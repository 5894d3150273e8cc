package io.realtimegateway.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

/**
 * A real WebSocket client over a real socket (Vert.x), for tests: it records every text frame it receives, every binary
 * one ({@link #binaryFrame}), and how the connection closed. Every wait is bounded.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Vertx VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(20_000).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22)
            .setConnectTimeout(10_000));

    /** A client whose socket has an 8 KiB receive buffer, so that a reader that stops reading is noticed soon. */
    private static final WebSocketClient SMALL_BUFFER_CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setReceiveBufferSize(8192).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22).setConnectTimeout(10_000));

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile long closedAtNanos;

    /** Sets the handlers before the connection exists, so that no frame can arrive before them. */
    private WsClient(WebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
        socket.binaryMessageHandler(data -> frames.add(binaryFrame(data.getBytes())));
        socket.closeHandler(v -> {
            closedAtNanos = System.nanoTime();
            closeReason = socket.closeReason();
            closed.complete(socket.closeStatusCode() == null ? 1006 : (int) socket.closeStatusCode());
        });
        socket.exceptionHandler(e -> {
        });
    }

    /** Connects as the given user with a query-parameter token; fails the test when the upgrade is refused. */
    public static WsClient connect(URI base, String path, String token) {
        return connect(base, path + "?access_token=" + token, Map.of());
    }

    public static WsClient connect(URI base, String pathAndQuery, Map<String, String> headers) {
        return await(open(base, pathAndQuery, headers));
    }

    /**
     * Connects with the frame handlers registered before the handshake, so that a frame the server sends right after
     * the upgrade is never missed.
     */
    private static CompletableFuture<WsClient> open(URI base, String pathAndQuery, Map<String, String> headers) {
        return open(CLIENT, options(base, pathAndQuery, headers));
    }

    private static CompletableFuture<WsClient> open(WebSocketClient client, WebSocketConnectOptions options) {
        ClientWebSocket socket = client.webSocket();
        WsClient ws = new WsClient(socket);
        return socket.connect(options).map(connected -> ws).toCompletionStage().toCompletableFuture();
    }

    /** Starts an upgrade without waiting: completes with the client, or fails (an {@code UpgradeRejectedException}). */
    public static CompletableFuture<WsClient> attempt(URI base, String pathAndQuery, Map<String, String> headers) {
        return open(base, pathAndQuery, headers);
    }

    /** Connects with an 8 KiB socket receive buffer (see {@link #SMALL_BUFFER_CLIENT}). */
    public static WsClient connectWithSmallReceiveBuffer(URI base, String path, String token) {
        return await(open(SMALL_BUFFER_CLIENT, options(base, path + "?access_token=" + token, Map.of())));
    }

    /** Opens many connections at once. */
    public static List<WsClient> connectAll(URI base, String path, List<String> tokens) {
        List<CompletableFuture<WsClient>> pending = new ArrayList<>();
        for (String token : tokens) {
            pending.add(open(base, path + "?access_token=" + token, Map.of()));
        }
        List<WsClient> clients = new ArrayList<>();
        for (CompletableFuture<WsClient> future : pending) {
            clients.add(await(future));
        }
        return clients;
    }

    /**
     * Attempts an upgrade that the server is expected to refuse.
     *
     * @return the refusal: HTTP status and headers
     * @throws AssertionError when the upgrade succeeds
     */
    public static UpgradeRejectedException refused(URI base, String pathAndQuery, Map<String, String> headers) {
        CompletableFuture<WebSocket> future = CLIENT.connect(options(base, pathAndQuery, headers)).toCompletionStage()
                .toCompletableFuture();
        try {
            WebSocket socket = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            socket.close();
            throw new AssertionError("upgrade of " + pathAndQuery + " was accepted; expected a refusal");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected;
            }
            throw new AssertionError("upgrade failed without an HTTP refusal", e.getCause());
        } catch (Exception e) {
            throw new AssertionError("upgrade did not complete", e);
        }
    }

    /**
     * Like a browser, the client sends {@code Origin: http://<host>:<port>} of the server (allowed in tests), unless
     * {@code headers} names an {@code Origin}: then that one, or none at all when its value is empty.
     */
    private static WebSocketConnectOptions options(URI base, String pathAndQuery, Map<String, String> headers) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost())
                .setPort(base.getPort()).setURI(pathAndQuery);
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Origin") && value.isEmpty()) {
                options.setAllowOriginHeader(false); // Vert.x then removes every Origin header
                return;
            }
            options.addHeader(name, value); // an explicit Origin replaces the one Vert.x would send
        });
        return options;
    }

    public void send(String text) {
        await(socket.writeTextMessage(text).toCompletionStage().toCompletableFuture());
    }

    public void send(JsonObject frame) {
        send(frame.encode());
    }

    /**
     * A received binary message as the tests read it: its JSON header (a binary message of the chat protocol: 2-byte
     * length, header, payload) with {@code "binary":true} and the payload under {@code "payload"}
     * ({@link JsonObject#getBinary}); a binary message of another shape is {@code {"binary":true,"raw":<bytes>}}.
     */
    static JsonObject binaryFrame(byte[] data) {
        int headerLength = data.length < 2 ? -1 : ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        if (headerLength >= 0 && headerLength <= data.length - 2) {
            try {
                JsonObject header = new JsonObject(Buffer.buffer(data).slice(2, 2 + headerLength));
                return header.put("binary", true).put("payload",
                        java.util.Arrays.copyOfRange(data, 2 + headerLength, data.length));
            } catch (RuntimeException notJson) {
                // Not the protocol's shape: recorded raw below.
            }
        }
        return new JsonObject().put("binary", true).put("raw", data);
    }

    public void sendBinary(byte[] data) {
        await(socket.writeBinaryMessage(Buffer.buffer(data)).toCompletionStage().toCompletableFuture());
    }

    /** Sends a frame and returns the first {@code ack} or {@code error} that carries its {@code ref}. */
    public JsonObject request(JsonObject frame) {
        String ref = frame.getString("ref");
        send(frame);
        return next(f -> ref.equals(f.getString("ref")));
    }

    /** Waits for the next received frame that matches; frames before it are consumed. */
    public JsonObject next(Predicate<JsonObject> match) {
        return Arrivals.next(frames, match, TIMEOUT, frame -> frame,
                () -> isClosed() ? "; closed with " + closed.getNow(null) : "");
    }

    /** The next frame of the given type. */
    public JsonObject next(String type) {
        return next(f -> type.equals(f.getString("type")));
    }

    /** Waits up to {@code within} for a frame; returns {@code null} when none arrived (to prove an absence). */
    public JsonObject poll(Duration within) {
        try {
            return frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Frames received and not yet consumed. */
    public List<JsonObject> pending() {
        return new ArrayList<>(frames);
    }

    /** Waits for the server to close the connection and returns the close code (1006 when no close frame came). */
    public int awaitClose() {
        return await(closed);
    }

    /** The reason of the close frame that closed the connection, or {@code null}; set once {@link #awaitClose} returned. */
    public String closeReason() {
        return closeReason;
    }

    /** When the connection was seen closed ({@link System#nanoTime()}); set once {@link #awaitClose} returned. */
    public long closedAtNanos() {
        return closedAtNanos;
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public WebSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("operation failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("operation did not complete within " + TIMEOUT, e);
        }
    }
}
