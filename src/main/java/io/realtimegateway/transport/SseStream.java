package io.realtimegateway.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.websockets.next.CloseReason;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.protocol.ServerFrames;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * One event stream of the HTTP fallback transport (Server-Sent Events, {@code text/event-stream}) as a
 * {@link FrameWriter}: each frame is one event ({@link OutboundFrame#event()}, encoded once per message and shared by
 * every recipient), written to the response in call order.
 * <p>
 * Flow control follows the socket, as on a WebSocket: Vert.x reports the response's queue full
 * ({@link HttpServerResponse#writeQueueFull()}) when the connection takes no more bytes, and calls its drain handler
 * when it does again. While full, the stream is checked every {@value OutboundFlow#CHECK_INTERVAL_MILLIS} ms by the
 * {@link SlowPeerRule}, on the bytes written and not yet taken by the socket (counted here: a write's completion is
 * Vert.x's word that its bytes left); a slow peer is reported once to {@link #onSlow}. {@link #whenWritable} callers
 * (a replay) wait for the drain.
 * <p>
 * The end: {@link #end} writes a final {@code {"type":"close","code":..,"reason":..}} event and ends the response;
 * a peer that has not taken it within {@code gateway.outbound.close-timeout} is cut ({@link #closeAfterWrites}). A
 * heartbeat is a comment line ({@link #heartbeat}), which an {@code EventSource} ignores. Whichever side ends the
 * stream, the actions given to {@link #onEnd} run once.
 * <p>
 * Threading: any thread; never blocks. Everything that touches the response runs on the request's event loop: at
 * once from that thread, as a task on it (in call order) from any other.
 */
public final class SseStream implements FrameWriter {

    /** A comment line: the heartbeat, which clients ignore and proxies see as traffic. */
    private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII);

    private final HttpServerResponse response;
    private final Context context;
    private final Thread loop;
    private final CallOrder order = new CallOrder();
    private final FlowLimits limits;
    private final SlowPeerRule rule;
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();
    private final List<Runnable> onEnd = new CopyOnWriteArrayList<>();
    private final AtomicBoolean endReported = new AtomicBoolean();
    /** Until either side ended the stream. */
    private volatile boolean open = true;
    /** The close reason of a stream the server ended, or {@code null}. */
    private volatile CloseReason closeReason;
    /** Bytes written and not yet taken by the socket; written on the event loop. */
    private volatile long pending;
    /** Whether {@link #end} ended the response; event loop only. */
    private boolean ended;
    /** The timer of the next check while the queue is full, or -1; event loop only. */
    private long check = -1;

    /**
     * Starts the event stream of {@code response}: status 200 and the event-stream headers (sent with the first
     * event). Called on the request's event loop.
     */
    SseStream(HttpServerResponse response, FlowLimits limits) {
        this.response = response;
        this.context = Vertx.currentContext();
        this.loop = Thread.currentThread();
        this.limits = limits;
        this.rule = new SlowPeerRule(limits);
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                // Tells nginx-like proxies not to buffer the stream.
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(ignored -> ended());
        response.exceptionHandler(ignored -> ended());
        response.drainHandler(ignored -> caughtUp());
    }

    /** Runs {@code action} once when the stream ends (either side; at once if it has), on the event loop. */
    public void onEnd(Runnable action) {
        onEnd.add(action);
        if (endReported.get() && onEnd.remove(action)) {
            action.run();
        }
    }

    /**
     * Runs {@code task} on the stream's event loop, in call order from whatever threads ({@link CallOrder}): at once
     * from the loop when nothing handed over from elsewhere is still queued, else as a task.
     */
    public void execute(Runnable task) {
        order.run(Thread.currentThread() == loop, queued -> context.runOnContext(ignored -> queued.run()), task);
    }

    @Override
    public void write(OutboundFrame frame, Runnable done) {
        byte[] event = frame.event();
        execute(() -> writeNow(event, written -> done.run()));
    }

    /**
     * Writes a heartbeat comment line; {@code taken} runs once the socket took it (never if it did not, or the stream
     * ended).
     */
    public void heartbeat(Runnable taken) {
        execute(() -> writeNow(HEARTBEAT, written -> {
            if (written.succeeded()) {
                taken.run();
            }
        }));
    }

    private void writeNow(byte[] bytes, Handler<AsyncResult<Void>> done) {
        if (!open || ended) {
            done.handle(io.vertx.core.Future.failedFuture("the event stream ended"));
            return;
        }
        pending += bytes.length;
        response.write(Buffer.buffer(bytes), written -> {
            pending -= bytes.length;
            done.handle(written);
        });
        if (response.writeQueueFull()) {
            watch();
        }
    }

    /**
     * Ends the stream from the server's side: a final {@code close} event with {@code reason}'s code and text, then
     * the end of the response. Later writes are dropped. Any thread.
     */
    public void end(CloseReason reason) {
        execute(() -> {
            if (!open || ended) {
                return;
            }
            closeReason = reason;
            ended = true;
            byte[] last = ServerFrames.close(reason.getCode(), reason.getMessage()).event();
            pending += last.length;
            response.end(Buffer.buffer(last), done -> {
                pending -= last.length;
                ended();
            });
        });
    }

    /** The close reason of a stream the server ended ({@link #end}), or {@code null}. */
    public CloseReason closeReason() {
        return closeReason;
    }

    @Override
    public void closeAfterWrites(Runnable close) {
        execute(() -> {
            close.run();
            if (open) {
                context.owner().setTimer(Math.max(1, limits.closeTimeoutNanos() / 1_000_000), ignored -> {
                    if (open) {
                        cut();
                    }
                });
            }
        });
    }

    /** Cuts the stream at once: the response is reset (for HTTP/1.1, its TCP connection closed). Any thread. */
    public void cut() {
        execute(() -> {
            if (!response.reset()) {
                response.close();
            }
            ended();
        });
    }

    @Override
    public boolean isWritable() {
        return !open || ended || !response.writeQueueFull();
    }

    @Override
    public long pendingBytes() {
        return pending;
    }

    @Override
    public void whenWritable(Runnable task) {
        execute(() -> {
            if (isWritable()) {
                task.run();
                return;
            }
            waiters.add(task);
            watch();
        });
    }

    @Override
    public void onSlow(Runnable action) {
        rule.onSlow(action);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    private void watch() {
        rule.unwritable(System.nanoTime());
        if (check < 0 && !rule.isSlow() && open) {
            check = context.owner().setTimer(OutboundFlow.CHECK_INTERVAL_MILLIS, ignored -> check());
        }
    }

    private void check() {
        check = -1;
        if (!open || rule.isSlow()) {
            return;
        }
        switch (rule.check(isWritable(), pending, System.nanoTime())) {
            case CAUGHT_UP -> caughtUp();
            case WATCH -> watch();
            case SLOW -> {
            }
        }
    }

    private void caughtUp() {
        rule.caughtUp();
        stopChecking();
        runWaiters();
    }

    private void runWaiters() {
        while (!waiters.isEmpty() && isWritable()) {
            waiters.poll().run();
        }
    }

    private void stopChecking() {
        if (check >= 0) {
            context.owner().cancelTimer(check);
            check = -1;
        }
    }

    /** The stream ended, by either side: stop, let waiters finish as no-ops, tell {@link #onEnd}. Event loop. */
    private void ended() {
        open = false;
        if (!endReported.compareAndSet(false, true)) {
            return;
        }
        stopChecking();
        runWaiters();
        for (Runnable action : onEnd) {
            action.run();
        }
        onEnd.clear();
    }
}
