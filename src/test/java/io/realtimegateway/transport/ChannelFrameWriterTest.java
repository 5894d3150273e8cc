package io.realtimegateway.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.realtimegateway.protocol.OutboundFrame;

/**
 * The direct write path on real Netty channels (the in-VM transport, with event loop threads): frames queued from
 * another thread leave in the order written and unchanged, one flush covers the frames queued in one round, a close
 * runs behind earlier frames; a channel still in its HTTP phase goes through the API, and a closed channel completes
 * writes without writing.
 */
class ChannelFrameWriterTest {

    private final List<String> fallback = new ArrayList<>();
    private final FrameWriter recordingFallback = new FrameWriter() {
        @Override
        public void write(OutboundFrame frame, Runnable done) {
            fallback.add(frame.text());
            done.run();
        }

        @Override
        public void closeAfterWrites(Runnable close) {
            close.run();
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    };

    private static final FlowLimits LIMITS = new FlowLimits(1 << 20, TimeUnit.SECONDS.toNanos(10),
            TimeUnit.SECONDS.toNanos(5));

    private static ChannelFrameWriter writerOf(Channel channel, FrameWriter fallback) {
        OutboundFlow flow = new OutboundFlow(LIMITS);
        channel.pipeline().addFirst(OutboundFlow.NAME, flow);
        return new ChannelFrameWriter(channel, flow, fallback);
    }

    @Test
    void framesQueuedFromAnotherThreadLeaveInOrderInOneFlushAndBeforeTheClose() throws Exception {
        EventLoopGroup group = new DefaultEventLoopGroup(2);
        LocalAddress address = new LocalAddress("frame-writer-" + System.nanoTime());
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        CountDownLatch allReceived = new CountDownLatch(1);
        List<OutboundFrame> frames = List.of(OutboundFrame.of("one"), OutboundFrame.of("x".repeat(300)),
                OutboundFrame.of("drei ✓"));
        int total = frames.stream().mapToInt(f -> f.wire().length).sum();
        try {
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            synchronized (received) {
                                received.writeBytes(ByteBufUtil.getBytes(buf));
                                if (received.size() == total) {
                                    allReceived.countDown();
                                }
                            }
                            buf.release();
                        }
                    }).bind(address).sync();
            AtomicInteger flushes = new AtomicInteger();
            Channel channel = new Bootstrap().group(group).channel(LocalChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                                @Override
                                public void flush(ChannelHandlerContext ctx) {
                                    flushes.incrementAndGet();
                                    ctx.flush();
                                }
                            }, new WebSocket13FrameEncoder(false));
                        }
                    }).connect(address).sync().channel();
            ChannelFrameWriter writer = writerOf(channel, recordingFallback);
            int flushesBefore = flushes.get();

            // Hold the channel's event loop, so that every write from this thread becomes a task behind the others.
            CountDownLatch hold = new CountDownLatch(1);
            channel.eventLoop().execute(() -> await(hold));
            AtomicInteger done = new AtomicInteger();
            for (OutboundFrame frame : frames) {
                writer.write(frame, done::incrementAndGet);
            }
            CompletableFuture<int[]> atClose = new CompletableFuture<>();
            writer.closeAfterWrites(() -> atClose.complete(new int[] { done.get(), flushes.get() - flushesBefore }));
            hold.countDown();

            assertTrue(allReceived.await(10, TimeUnit.SECONDS), "not every frame arrived");
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (OutboundFrame frame : frames) {
                expected.writeBytes(frame.wire());
            }
            synchronized (received) {
                assertArrayEquals(expected.toByteArray(), received.toByteArray(), "frames reordered or changed");
            }
            assertArrayEquals(new int[] { 3, 1 }, atClose.get(10, TimeUnit.SECONDS),
                    "the close must run after all three frames were written, and they in one flush");
            assertTrue(fallback.isEmpty(), "a WebSocket pipeline is written to directly");
            channel.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aChannelStillSpeakingHttpGoesThroughTheFallback() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder(), new WebSocket13FrameEncoder(false));
        ChannelFrameWriter writer = writerOf(channel, recordingFallback);
        AtomicInteger done = new AtomicInteger();
        writer.write(OutboundFrame.of("early"), done::incrementAndGet);
        channel.runPendingTasks();
        assertEquals(List.of("early"), fallback);
        assertEquals(1, done.get());
        assertNull(channel.readOutbound());
    }

    @Test
    void aWriteNobodyAwaitsLeavesUnchangedWithoutACompletion() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        ChannelFrameWriter writer = writerOf(channel, recordingFallback);
        OutboundFrame frame = OutboundFrame.of("to every member");
        writer.write(frame);
        channel.runPendingTasks();
        ByteBuf written = channel.readOutbound();
        assertArrayEquals(frame.wire(), ByteBufUtil.getBytes(written), "the frame's bytes, unchanged");
        written.release();
        assertTrue(fallback.isEmpty());
    }

    @Test
    void writesToAClosedChannelCompleteWithoutWriting() {
        EmbeddedChannel channel = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
        ChannelFrameWriter writer = writerOf(channel, recordingFallback);
        channel.close();
        AtomicInteger done = new AtomicInteger();
        writer.write(OutboundFrame.of("too late"), done::incrementAndGet);
        channel.runPendingTasks();
        assertFalse(writer.isOpen());
        assertEquals(1, done.get());
        assertNull(channel.readOutbound());
        assertTrue(fallback.isEmpty());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
