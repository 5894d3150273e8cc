package io.realtimegateway.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultEventLoop;

/**
 * Writes to one connection from several threads stay in call order: a write made on the event loop while one from
 * another thread is still queued for it goes behind it, not ahead (as a plain "at once when on the loop" would).
 */
class CallOrderTest {

    private final DefaultEventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aWriteOnTheLoopQueuesBehindOneHandedOverEarlier() throws Exception {
        CallOrder order = new CallOrder();
        List<String> written = new CopyOnWriteArrayList<>();
        CountDownLatch handedOver = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        // The loop is busy with a task that, once the other thread has handed a write over, writes on the loop.
        loop.execute(() -> {
            await(handedOver);
            order.run(loop.inEventLoop(), loop, () -> {
                written.add("second, from the loop");
                done.countDown();
            });
            done.countDown();
        });
        Thread other = new Thread(() -> {
            order.run(loop.inEventLoop(), loop, () -> {
                written.add("first, from another thread");
                done.countDown();
            });
            handedOver.countDown();
        });
        other.start();
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("first, from another thread", "second, from the loop"), written);
    }

    @Test
    void onTheLoopWithNothingQueuedAWriteRunsAtOnce() throws Exception {
        CallOrder order = new CallOrder();
        List<String> written = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            order.run(loop.inEventLoop(), loop, () -> written.add("inside"));
            written.add("after the call");
            done.countDown();
        });
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("inside", "after the call"), written);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
