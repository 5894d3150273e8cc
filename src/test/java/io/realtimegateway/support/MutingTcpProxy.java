package io.realtimegateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of Redis that can make the pub/sub connections silent: after {@link #muteSubscribers()}, the
 * connections that sent a {@code SUBSCRIBE} until then stay open, and whatever Redis sends them is dropped, as after
 * a failover that leaves a subscriber looking healthy. Connections opened later pass untouched. One thread per
 * direction of each connection; for tests.
 */
public final class MutingTcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Connection> subscribers = ConcurrentHashMap.newKeySet();
    /** While set, what Redis sends to command connections waits here (bounded) instead of being forwarded. */
    private volatile CountDownLatch held;
    private volatile CountDownLatch heldFromSubscribers;

    private final class Connection {
        volatile boolean muted;
    }

    public MutingTcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Drops, from now on, every byte Redis sends to the connections that have subscribed so far. */
    public void muteSubscribers() {
        subscribers.forEach(c -> c.muted = true);
    }

    /**
     * Holds back, until {@link #releaseReplies()} (at most 30 s), every byte Redis sends from now on to the command
     * connections (those that never subscribed): commands reach Redis and run, their replies wait.
     */
    public void holdReplies() {
        held = new CountDownLatch(1);
    }

    /**
     * Holds back, until {@link #releaseSubscriberReplies()} (at most 30 s), every byte Redis sends from now on to the
     * connections that have subscribed so far: their commands reach Redis and run, the confirmations wait.
     */
    public void holdSubscriberReplies() {
        heldFromSubscribers = new CountDownLatch(1);
    }

    /** Forwards what was held back from the subscribed connections, in order, and stops holding. */
    public void releaseSubscriberReplies() {
        CountDownLatch latch = heldFromSubscribers;
        heldFromSubscribers = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Forwards what was held back, in order, and stops holding. */
    public void releaseReplies() {
        CountDownLatch latch = held;
        held = null;
        if (latch != null) {
            latch.countDown();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", targetPort);
                Connection connection = new Connection();
                pump(client, upstream, connection, true);
                pump(upstream, client, connection, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, Connection connection, boolean towardsRedis) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (towardsRedis && new String(buffer, 0, n, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT).contains("SUBSCRIBE")) {
                        subscribers.add(connection);
                    }
                    if (!towardsRedis && connection.muted) {
                        continue;
                    }
                    CountDownLatch latch = subscribers.contains(connection) ? heldFromSubscribers : held;
                    if (!towardsRedis && latch != null && !latch.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("held for more than 30 s");
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side closed: so does this one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close(from);
                close(to);
            }
        }, towardsRedis ? "proxy-to-redis" : "proxy-from-redis");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
