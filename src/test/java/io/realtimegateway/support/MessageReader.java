package io.realtimegateway.support;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * Reads one raw WebSocket on a thread of its own, all the time, as a real client does, until it has seen
 * {@code expected} {@code message} frames or the connection closed. For tests and benchmarks of the outbound path.
 */
public final class MessageReader implements AutoCloseable {

    /**
     * @param numbers the {@code data.n} of each message read, in order ({@code -1} for a message without one)
     * @param closeCode the close code when it closed first (1006 without a close frame), else 0
     * @param finishedNanos {@link System#nanoTime()} when reading ended
     */
    public record Result(List<Integer> numbers, int closeCode, long finishedNanos) {
    }

    private final RawWebSocket ws;
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    private MessageReader(RawWebSocket ws) {
        this.ws = ws;
    }

    /** Starts reading {@code ws} on a new daemon thread. */
    public static MessageReader start(RawWebSocket ws, int expected) {
        MessageReader reader = new MessageReader(ws);
        Thread thread = new Thread(() -> reader.read(expected), "message-reader");
        thread.setDaemon(true);
        thread.start();
        return reader;
    }

    /** A raw WebSocket of {@code user} on {@code /ws/chat} that joined {@code room} (with {@code since}, when given). */
    public static RawWebSocket joined(URI base, String room, String user, String since) throws IOException {
        RawWebSocket ws = RawWebSocket.open(base, "/ws/chat?access_token=" + Tokens.user(user)).awaitOpen();
        JsonObject join = Frames.join(room, "join");
        if (since != null) {
            join.put("since", since);
        }
        ws.sendText(join.encode());
        while (true) {
            RawWebSocket.Frame frame = ws.readFrame();
            if (frame == null) {
                throw new IOException("closed before the join's ack");
            }
            if (frame.opcode() == 0x1 && "ack".equals(new JsonObject(frame.text()).getString("type"))) {
                return ws;
            }
        }
    }

    private void read(int expected) {
        List<Integer> numbers = new ArrayList<>();
        int closeCode = 0;
        try {
            ws.socket().setSoTimeout(60_000);
            while (numbers.size() < expected) {
                RawWebSocket.Frame frame = ws.readFrame();
                if (frame == null || frame.opcode() == 0x8) {
                    closeCode = frame == null ? 1006 : frame.closeCode();
                    break;
                }
                if (frame.opcode() != 0x1) {
                    continue;
                }
                JsonObject json = new JsonObject(frame.text());
                if ("message".equals(json.getString("type"))) {
                    Object data = json.getValue("data");
                    numbers.add(data instanceof JsonObject object ? object.getInteger("n", -1) : -1);
                }
            }
        } catch (IOException e) {
            closeCode = 1006;
        }
        result.complete(new Result(numbers, closeCode, System.nanoTime()));
    }

    /** Waits up to two minutes for the reading to end. */
    public Result result() throws Exception {
        return result.get(120, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        ws.close();
    }
}
