package io.realtimegateway.transport;

import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;

/**
 * Watches one connection's outbound side in its Netty pipeline, and is the only judge of whether its peer reads.
 * <p>
 * What counts is what the kernel refuses: Netty marks the channel unwritable when its write buffer passes the
 * high-water mark, which happens only when the socket does not take the bytes as fast as they come. While the channel
 * is unwritable, a check runs every {@link #CHECK_INTERVAL_MILLIS} ms on the channel's event loop; the peer is slow
 * (reported to {@link #onSlow(Runnable)}, once) by the {@link SlowPeerRule}, on the bytes waiting in Netty's buffer.
 * Writable connections cost nothing (no timer). Bytes Netty has not been handed yet (writes queued as tasks
 * on the event loop) do not count: they are not waiting for the peer.
 * <p>
 * It also lets a writer wait for writability ({@link #whenWritable}), so that a long replay is sent as the peer takes
 * it instead of all at once. The pongs Vert.x answers to the peer's pings go through the same buffer, so a peer that
 * pings without reading is judged like any other.
 * <p>
 * Threading: confined to the channel's event loop, except {@link #onSlow(Runnable)}, which is safe from any thread.
 */
final class OutboundFlow extends ChannelInboundHandlerAdapter {

    /** The pipeline name of this handler. */
    static final String NAME = "realtime-gateway-outbound-flow";

    /** How often an unwritable channel is checked. */
    static final long CHECK_INTERVAL_MILLIS = 100;

    private final FlowLimits limits;
    private final SlowPeerRule rule;
    /** Tasks waiting for the channel to be writable; made when the first has to wait (most connections never do). */
    private ArrayDeque<Runnable> waiters;
    private Channel channel;
    private ScheduledFuture<?> check;

    OutboundFlow(FlowLimits limits) {
        this.limits = limits;
        this.rule = new SlowPeerRule(limits);
    }

    FlowLimits limits() {
        return limits;
    }

    /** Where to report a slow peer; told once, on the event loop. */
    void onSlow(Runnable action) {
        rule.onSlow(action);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            caughtUp();
        } else {
            watch();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopChecking();
        // Waiters finish their work as no-ops on a closed channel (a replay completes, its held messages are dropped).
        runWaiters();
        ctx.fireChannelInactive();
    }

    /** Bytes in Netty's write buffer for this channel: written or flushed, not yet taken by the kernel. */
    long pendingBytes() {
        ChannelOutboundBuffer buffer = channel == null ? null : channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** Runs {@code task} on the event loop as soon as the channel is writable (now, if it is) or closed. */
    void whenWritable(Runnable task) {
        if (channel.isWritable() || !channel.isActive()) {
            task.run();
            return;
        }
        if (waiters == null) {
            waiters = new ArrayDeque<>(4);
        }
        waiters.add(task);
        watch();
    }

    private void watch() {
        rule.unwritable(System.nanoTime());
        if (check == null && !rule.isSlow() && channel.isActive()) {
            check = channel.eventLoop().schedule(this::check, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void check() {
        check = null;
        if (!channel.isActive() || rule.isSlow()) {
            return;
        }
        switch (rule.check(channel.isWritable(), pendingBytes(), System.nanoTime())) {
            case CAUGHT_UP -> caughtUp();
            case WATCH -> watch();
            case SLOW -> {
            }
        }
    }

    private void caughtUp() {
        rule.caughtUp();
        stopChecking();
        if (waiters != null && !waiters.isEmpty()) {
            // Not from inside the flush that made the channel writable: the next loop iteration writes more.
            channel.eventLoop().execute(this::runWaiters);
        }
    }

    private void runWaiters() {
        while (waiters != null && !waiters.isEmpty() && (channel.isWritable() || !channel.isActive())) {
            waiters.poll().run();
        }
    }

    private void stopChecking() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
