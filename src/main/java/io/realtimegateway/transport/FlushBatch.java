package io.realtimegateway.transport;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The channels of one event loop that were written to and not yet flushed. The first write of a round schedules one
 * flush task on the loop; it runs after the tasks already queued, so when broadcasts arrive faster than the socket
 * writes (a backlog), the frames queued for one connection leave in one system call instead of one each. With no
 * backlog the flush follows the write in the same loop iteration: nothing waits for a timer.
 * <p>
 * Threading: confined to its event loop (one instance per loop thread).
 */
final class FlushBatch implements Runnable {

    private static final FastThreadLocal<FlushBatch> PER_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final List<ChannelFrameWriter> pending = new ArrayList<>();
    private boolean scheduled;

    private FlushBatch(EventLoop loop) {
        this.loop = loop;
    }

    /** The batch of the calling event loop thread. */
    static FlushBatch current(EventLoop loop) {
        FlushBatch batch = PER_LOOP.get();
        if (batch == null || batch.loop != loop) {
            batch = new FlushBatch(loop);
            PER_LOOP.set(batch);
        }
        return batch;
    }

    /** Flushes {@code writer}'s channel in this round; called on the loop, once per round per writer. */
    void add(ChannelFrameWriter writer) {
        pending.add(writer);
        if (!scheduled) {
            scheduled = true;
            loop.execute(this);
        }
    }

    @Override
    public void run() {
        scheduled = false;
        // A flush may complete writes whose listeners write again (and add to the list): take this round's list.
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).flushed();
        }
        pending.clear();
    }
}
