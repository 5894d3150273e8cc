package io.realtimegateway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The accept benchmark's client: WebSocket upgrades written as bytes on non-blocking sockets, all on one thread with
 * one selector, so that the load generator costs a few microseconds per connection, far less than the servers it
 * measures (a full WebSocket client spent as much CPU per handshake as the server). Open loop: connection {@code i}
 * is due at {@code i / rate} seconds; its latency runs from that moment to the end of the server's {@code 101}
 * response headers, so a server that falls behind is charged for the wait. Upgraded sockets stay open, idle, until
 * {@link #run} returns, then are closed. Not thread-safe; one run per instance.
 */
final class RawUpgrades {

    /** What one run measured. */
    record Result(int upgraded, int failed, double seconds, LatencyRecorder latencies) {
    }

    private static final byte[] END_OF_HEADERS = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress server;
    private final String path;
    private final List<String> tokens;
    private final String origin;

    RawUpgrades(String host, int port, String path, List<String> tokens, String origin) {
        this.server = new InetSocketAddress(host, port);
        this.path = path;
        this.tokens = tokens;
        this.origin = origin;
    }

    private final class Attempt {
        final long dueNanos;
        final ByteBuffer request;
        final ByteBuffer response = ByteBuffer.allocate(1024);
        boolean done;

        Attempt(long dueNanos, int index) {
            this.dueNanos = dueNanos;
            this.request = ByteBuffer.wrap(("GET " + path + "?access_token=" + tokens.get(index % tokens.size())
                    + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: " + origin + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Opens {@code rate * seconds} connections at {@code rate} per second; waits at most 30 s for the last. */
    Result run(int rate, int seconds) throws IOException {
        int n = rate * seconds;
        LatencyRecorder latencies = new LatencyRecorder();
        List<SocketChannel> open = new ArrayList<>(n);
        int upgraded = 0;
        int failed = 0;
        long lastUpgrade = 0;
        try (Selector selector = Selector.open()) {
            long start = System.nanoTime();
            long period = TimeUnit.SECONDS.toNanos(1) / rate;
            long giveUp = start + TimeUnit.SECONDS.toNanos(seconds + 30L);
            int issued = 0;
            while ((upgraded + failed < n) && System.nanoTime() < giveUp) {
                long now = System.nanoTime();
                while (issued < n && start + issued * period <= now) {
                    Attempt attempt = new Attempt(start + issued * period, issued);
                    issued++;
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    // Source addresses 127.0.0.2-101 in turn: tens of thousands of short connections in a run would
                    // exhaust one address's ephemeral ports (TIME_WAIT).
                    channel.bind(new InetSocketAddress("127.0.0." + (2 + issued % 100), 0));
                    open.add(channel);
                    boolean connected = channel.connect(server);
                    channel.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, attempt);
                }
                long nextDue = issued < n ? start + issued * period : giveUp;
                long waitNanos = nextDue - System.nanoTime();
                if (waitNanos >= TimeUnit.MILLISECONDS.toNanos(1)) {
                    selector.select(TimeUnit.NANOSECONDS.toMillis(waitNanos));
                } else if (selector.selectNow() == 0 && waitNanos > 0) {
                    // Less than a millisecond to the next connection and nothing to read: park rather than spin, so
                    // that the client's CPU time is its work, not its waiting.
                    LockSupport.parkNanos(Math.min(waitNanos, 100_000));
                }
                var keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Attempt attempt = (Attempt) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable() && channel.finishConnect()) {
                            key.interestOps(SelectionKey.OP_WRITE);
                        }
                        if (key.isValid() && key.isWritable()) {
                            channel.write(attempt.request);
                            if (!attempt.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isValid() && key.isReadable()) {
                            if (channel.read(attempt.response) < 0) {
                                throw new IOException("closed before the response ended");
                            }
                            if (headersEnded(attempt.response)) {
                                long at = System.nanoTime();
                                latencies.record((at - attempt.dueNanos) / 1_000);
                                attempt.done = true;
                                key.interestOps(0);
                                if (isSwitchingProtocols(attempt.response)) {
                                    upgraded++;
                                    lastUpgrade = at;
                                } else {
                                    failed++;
                                }
                            }
                        }
                    } catch (IOException e) {
                        if (!attempt.done) {
                            attempt.done = true;
                            failed++;
                        }
                        key.cancel();
                    }
                }
            }
            failed += n - upgraded - failed;
            double elapsed = lastUpgrade == 0 ? 0 : (lastUpgrade - start) / 1e9;
            return new Result(upgraded, failed, elapsed, latencies);
        } finally {
            for (SocketChannel channel : open) {
                channel.close();
            }
        }
    }

    private static boolean headersEnded(ByteBuffer response) {
        int end = response.position();
        for (int i = 0; i + END_OF_HEADERS.length <= end; i++) {
            boolean match = true;
            for (int j = 0; j < END_OF_HEADERS.length && match; j++) {
                match = response.get(i + j) == END_OF_HEADERS[j];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSwitchingProtocols(ByteBuffer response) {
        byte[] head = new byte[Math.min(12, response.position())];
        response.duplicate().flip().get(head);
        return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101");
    }
}
