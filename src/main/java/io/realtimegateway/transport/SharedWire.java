package io.realtimegateway.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * The frame's wire bytes in one direct buffer, shared by every recipient a thread writes the same frame to: a
 * broadcast to N connections copies the frame into native memory once, where a heap buffer per recipient would be
 * copied by the socket channel once per recipient. Each recipient gets a retained duplicate (its own indexes, the same
 * memory), released by Netty once written.
 * <p>
 * An event loop thread keeps the buffer of the last frame it wrote, and releases it when it writes another frame: at
 * most one frame of at most {@value #MAX_SHARED_BYTES} bytes per event loop is held beyond its writes. Other threads
 * (a worker pool can be large), and larger frames, get a heap buffer per write, as before sharing. Threading: confined
 * to the calling thread.
 */
final class SharedWire {

    private static final FastThreadLocal<SharedWire> PER_THREAD = new FastThreadLocal<>() {
        @Override
        protected SharedWire initialValue() {
            return new SharedWire();
        }
    };

    /** The largest frame kept for sharing. */
    static final int MAX_SHARED_BYTES = 64 * 1024;

    private OutboundFrame frame;
    private ByteBuf buffer;

    private SharedWire() {
    }

    /** A buffer of {@code frame}'s wire bytes for one write; the caller hands it to Netty, which releases it. */
    static ByteBuf of(OutboundFrame frame) {
        byte[] wire = frame.wire();
        if (wire.length > MAX_SHARED_BYTES || !(Thread.currentThread() instanceof FastThreadLocalThread)) {
            return Unpooled.wrappedBuffer(wire);
        }
        return PER_THREAD.get().duplicateOf(frame);
    }

    private ByteBuf duplicateOf(OutboundFrame next) {
        if (next != frame) {
            if (buffer != null) {
                buffer.release();
            }
            byte[] wire = next.wire();
            buffer = ByteBufAllocator.DEFAULT.directBuffer(wire.length, wire.length).writeBytes(wire);
            frame = next;
        }
        return buffer.retainedDuplicate();
    }
}
