package io.realtimegateway.transport;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * Writes the frame's wire bytes ({@link OutboundFrame#wire()}, WebSocket header included, encoded once per message)
 * straight into the connection's Netty channel: a broadcast to N connections encodes nothing per recipient and makes
 * no {@code Uni}, no Vert.x future and no context capture per recipient; the recipients of one broadcast share one
 * direct buffer of those bytes ({@link SharedWire}).
 * <p>
 * The bytes enter the pipeline at the WebSocket frame encoder (which would let bytes through unchanged), so they pass
 * every outbound handler between it and the socket (TLS among them) and skip the walk from the pipeline's tail through
 * Vert.x's handler, which does nothing with them. Until the pipeline is a WebSocket pipeline, frames go through the
 * WebSocket API instead (see {@link #writeThroughApi}).
 * <p>
 * Ordering: writes leave in call order, whichever threads they come from ({@link CallOrder}): a write from any other
 * thread becomes a task on the channel's event loop, and one from the event loop enters the pipeline at once unless
 * such a task is still queued, when it queues behind it. A close requested after writes is a task behind them. Flushing is batched per event loop ({@link FlushBatch}): frames that queue up for a connection leave
 * in one system call.
 * <p>
 * Flow control is the channel's {@link OutboundFlow} (put into the pipeline at the upgrade): it judges whether the peer
 * reads, and paces {@link #whenWritable} callers. A close has a deadline: a peer that has not completed it within
 * {@link FlowLimits#closeTimeoutNanos()} is cut at TCP level, which frees what was queued for it.
 * Threading: any thread; never blocks.
 */
final class ChannelFrameWriter implements FrameWriter {

    private static final Runnable NOTHING = () -> {
    };

    private final Channel channel;
    private final FrameWriter fallback;
    private final OutboundFlow flow;
    /** A reusable promise that is never notified (and reports no failure to the pipeline), for writes nobody awaits. */
    private final ChannelPromise noCompletion;
    private final CallOrder order = new CallOrder();
    /** Whether frames go straight to the channel now; event loop only, and never reset. */
    private boolean direct;
    /** Where direct frames enter: the WebSocket frame encoder's context; event loop only, set with {@link #direct}. */
    private ChannelHandlerContext entry;
    /** Frames written through the API and not yet completed; event loop only. */
    private int apiInFlight;
    /** Whether the loop's {@link FlushBatch} will flush this channel; event loop only. */
    private boolean flushPending;

    ChannelFrameWriter(Channel channel, OutboundFlow flow, FrameWriter fallback) {
        this.channel = channel;
        this.flow = flow;
        this.fallback = fallback;
        this.noCompletion = new VoidChannelPromise(channel, false);
    }

    @Override
    public void write(OutboundFrame frame) {
        write(frame, null);
    }

    /** @param done as {@link FrameWriter#write(OutboundFrame, Runnable)}, or {@code null}: no completion wanted */
    @Override
    public void write(OutboundFrame frame, Runnable done) {
        // Encoded on the caller's thread, once per message and into one buffer for all its recipients.
        ByteBuf bytes = SharedWire.of(frame);
        EventLoop loop = channel.eventLoop();
        try {
            order.run(loop.inEventLoop(), loop, () -> writeNow(frame, bytes, done));
        } catch (RuntimeException rejected) { // the loop is shutting down: the bytes will never be written
            bytes.release();
            throw rejected;
        }
    }

    private void writeNow(OutboundFrame frame, ByteBuf bytes, Runnable done) {
        if (!channel.isActive()) {
            bytes.release();
            if (done != null) {
                done.run();
            }
            return;
        }
        if (!direct) {
            if (apiInFlight == 0 && isWebSocket(channel.pipeline())) {
                entry = channel.pipeline().context(WebSocketFrameEncoder.class);
                direct = true;
            } else {
                bytes.release();
                writeThroughApi(frame, done);
                return;
            }
        }
        if (done == null) {
            // No promise to complete and no listener per recipient: a broadcast's writes only need to leave.
            entry.write(bytes, noCompletion);
        } else {
            entry.write(bytes).addListener(written -> done.run());
        }
        if (!flushPending) {
            flushPending = true;
            FlushBatch.current(channel.eventLoop()).add(this);
        }
    }

    /**
     * While the upgrade is still under way (the HTTP encoder in the pipeline), frames go through the WebSocket API.
     * Direct writes start only when none of those is in flight, so the two paths never overlap and order holds
     * across the switch.
     */
    private void writeThroughApi(OutboundFrame frame, Runnable done) {
        apiInFlight++;
        Runnable completion = done == null ? NOTHING : done;
        fallback.write(frame, () -> {
            EventLoop loop = channel.eventLoop();
            if (loop.inEventLoop()) {
                apiWritten();
            } else {
                loop.execute(this::apiWritten);
            }
            completion.run();
        });
    }

    private void apiWritten() {
        apiInFlight--;
    }

    /** Called by the loop's {@link FlushBatch}: sends what was written since the last flush. */
    void flushed() {
        flushPending = false;
        entry.flush();
    }

    @Override
    public void closeAfterWrites(Runnable close) {
        channel.eventLoop().execute(() -> {
            if (flushPending) {
                flushed(); // the frames before the close leave now, not in the batch's later round
            }
            close.run();
            if (channel.isActive()) {
                channel.eventLoop().schedule(this::cut, flow.limits().closeTimeoutNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Ends a close the peer did not complete, at TCP level (see {@link Terminator}). */
    private void cut() {
        if (channel.isActive()) {
            Terminator.cutting(channel).terminate();
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long pendingBytes() {
        return flow.pendingBytes();
    }

    @Override
    public void whenWritable(Runnable task) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            flow.whenWritable(task);
        } else {
            loop.execute(() -> flow.whenWritable(task));
        }
    }

    @Override
    public void onSlow(Runnable action) {
        flow.onSlow(action);
    }

    @Override
    public void onPing(Runnable action) {
        PingTap tap = channel.pipeline().get(PingTap.class);
        if (tap != null) {
            tap.listen(action);
        }
    }

    /**
     * The socket is open. Not the WebSocket's closed state, which Vert.x guards with a lock the connection's event loop
     * also takes (asked of every recipient it cost a fifth of a broadcast's CPU): frames after a close are prevented
     * by {@code ClientSession}, which stops sending once it closes, and the close itself runs behind earlier frames.
     */
    @Override
    public int closeCodeSent() {
        Integer code = channel.attr(FrameErrorCloser.SENT).get();
        return code == null ? 0 : code;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    private static boolean isWebSocket(ChannelPipeline pipeline) {
        return pipeline.get(WebSocketFrameEncoder.class) != null && pipeline.get(HttpResponseEncoder.class) == null
                && pipeline.get(HttpServerCodec.class) == null;
    }
}
