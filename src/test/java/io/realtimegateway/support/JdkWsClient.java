package io.realtimegateway.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A WebSocket client on the JDK's {@code java.net.http.WebSocket}, for tests of frames the server sends the moment a
 * connection opens (the recovery {@code ack} and replay of {@code /ws/notifications?since=}). The Vert.x client of
 * {@link WsClient} drops frames that arrive in the same TCP read as the {@code 101} response (its HTTP codec is
 * replaced only after that read), which made such a test fail 9 times in 60; the JDK client hands the bytes after the
 * response to the WebSocket, as browsers do.
 */
public final class JdkWsClient implements AutoCloseable {

    private final BlockingQueue<JsonObject> frames;
    private final WebSocket socket;

    private JdkWsClient(BlockingQueue<JsonObject> frames, WebSocket socket) {
        this.frames = frames;
        this.socket = socket;
    }

    /** Opens {@code pathAndQuery} (the token in the query) on the server at {@code base}, with a local Origin. */
    public static JdkWsClient connect(URI base, String pathAndQuery) {
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + pathAndQuery);
        BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(new JsonObject(text.toString()));
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Origin", "http://localhost:" + base.getPort()).connectTimeout(WsClient.TIMEOUT)
                .buildAsync(uri, listener).orTimeout(WsClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        return new JdkWsClient(frames, socket);
    }

    /** The next frame of the given type, waiting up to {@link WsClient#TIMEOUT}; frames before it are consumed. */
    public JsonObject next(String type) {
        long deadline = System.nanoTime() + WsClient.TIMEOUT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonObject frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
                if (frame == null) {
                    throw new AssertionError("no " + type + " frame within " + WsClient.TIMEOUT);
                }
                if (type.equals(frame.getString("type"))) {
                    return frame;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        socket.abort();
    }
}
