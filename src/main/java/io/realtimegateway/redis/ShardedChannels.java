package io.realtimegateway.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * The sharded pub/sub part of {@link RedisSubscriber}: each sharded channel ({@code SSUBSCRIBE}) is subscribed on a
 * connection to the master that owns the channel's hash slot, one connection per master, each re-established on the
 * one backoff ({@link ReconnectingConnection}). On a standalone Redis there is one such connection, to that server.
 * <p>
 * Topology: the slot owners come from {@code CLUSTER SLOTS} (through the command link), read at start, every
 * {@value #REFRESH_SECONDS} seconds, and at once, then every second until it settles, when a master's connection is
 * lost (it may have failed over), when Redis pushes {@code sunsubscribe} for a channel still wanted (its slot moved to
 * another master, or the master became a replica), or when {@code SSUBSCRIBE} is answered {@code MOVED}; a
 * {@code MOVED} answer is also followed at once, without waiting for the topology. A channel whose owner changed is
 * subscribed at the new owner; resubscription sends one {@code SSUBSCRIBE} per slot with at most
 * {@value RedisSubscriber#BATCH} channels (Redis allows one slot per command), pipelined.
 * <p>
 * Whatever a channel may have missed (a connection re-established, a channel moved) is reported through the
 * {@code onMissed} callback once the resubscription is confirmed, so the broker can fill the gap from the history. A
 * master's connection that hears nothing for the probe interval is sent a {@code PING}; no answer within the command
 * timeout drops it. Threading: every field is touched on one event-loop context; the public methods may be called
 * from any thread and never block.
 */
final class ShardedChannels {

    private static final Logger LOG = Logger.getLogger(ShardedChannels.class);
    static final int REFRESH_SECONDS = 10;
    private static final String STANDALONE = "standalone";

    private final Vertx vertx;
    private final Context context;
    private final Redis standalone;
    private final Function<String, Redis> nodeClients;
    private final RedisLink commands;
    private final BiConsumer<String, Buffer> listener;
    private final Runnable onMissed;
    private final long probeIntervalNanos;
    private final long commandTimeoutMillis;

    private final Set<String> wanted = new HashSet<>();
    /** The node each wanted channel was subscribed on (or is being subscribed on). */
    private final Map<String, Node> placed = new HashMap<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, CompletableFuture<Void>> confirming = new ConcurrentHashMap<>();
    /** Wanted channels a master unsubscribed on its own (its slot moved): to subscribe again, then check for gaps. */
    private final Set<String> displaced = new HashSet<>();
    /** Endpoint of each slot's master; {@code null} before the first topology. */
    private String[] owners;
    private boolean cluster;
    private boolean refreshing;
    private boolean unsettled;
    private long lastRefresh;
    private long timer = -1;
    private volatile String topologyProblem;
    private volatile boolean closed;

    /**
     * @param standalone the client of a standalone server
     * @param nodeClients the client of one cluster node by endpoint ({@link NodeClients})
     * @param commands where {@code CLUSTER SLOTS} is asked
     */
    ShardedChannels(Vertx vertx, Redis standalone, Function<String, Redis> nodeClients, RedisLink commands,
            Duration probeInterval, Duration commandTimeout, BiConsumer<String, Buffer> listener,
            Runnable onMissed) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.standalone = standalone;
        this.nodeClients = nodeClients;
        this.commands = commands;
        this.listener = listener;
        this.onMissed = onMissed;
        this.probeIntervalNanos = Math.max(1, probeInterval.toNanos());
        this.commandTimeoutMillis = Math.max(1, commandTimeout.toMillis());
    }

    /** Starts following the server: standalone, or a cluster whose slots are read at once. */
    void start(boolean onCluster) {
        context.runOnContext(ignored -> {
            if (closed || timer >= 0) {
                return;
            }
            cluster = onCluster;
            timer = vertx.setPeriodic(500, tick -> tick());
            refresh();
        });
    }

    void close() {
        closed = true;
        context.runOnContext(ignored -> {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            nodes.values().forEach(Node::close);
            nodes.clear();
            List.copyOf(confirming.keySet()).forEach(this::confirmed);
        });
    }

    /** Subscribes {@code channel}; completes as {@link RedisSubscriber#subscribe} does. */
    CompletionStage<Void> subscribe(String channel) {
        CompletableFuture<Void> done = confirming.computeIfAbsent(channel, c -> new CompletableFuture<>());
        context.runOnContext(ignored -> {
            wanted.add(channel);
            Node before = placed.get(channel);
            Node node = place(channel);
            if (node == null || node.current() == null || node == before) {
                confirmed(channel); // subscribed already, or when the node is known and connected
            }
        });
        return done;
    }

    void unsubscribe(String channel) {
        context.runOnContext(ignored -> {
            wanted.remove(channel);
            displaced.remove(channel);
            Node node = placed.remove(channel);
            if (node != null) {
                node.channels--;
            }
            RedisConnection connection = node == null ? null : node.current();
            if (connection != null) {
                connection.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).onFailure(
                        failure -> LOG.debugf("SUNSUBSCRIBE %s failed: %s", channel, failure.toString()));
            }
        });
    }

    /** Why some sharded channel may not be receiving, or {@code null}. */
    String problem() {
        String topology = topologyProblem;
        if (topology != null) {
            return topology;
        }
        for (Node node : List.copyOf(nodes.values())) {
            String down = node.downReason();
            if (down != null && node.channels > 0) {
                return down;
            }
        }
        return null;
    }

    /** How many masters this instance holds a sharded subscriber connection to (for tests and logs). */
    int connections() {
        return (int) List.copyOf(nodes.values()).stream().filter(node -> node.current() != null).count();
    }

    /** Subscribes {@code channel} on its slot's master, if known; returns that master's node. On the context. */
    private Node place(String channel) {
        if (owners == null) {
            unsettled = true;
            return null;
        }
        String endpoint = owners[cluster ? HashSlot.of(channel) : 0];
        if (endpoint == null) {
            unsettled = true;
            return null;
        }
        Node current = placed.get(channel);
        if (current != null && current.endpoint.equals(endpoint)) {
            return current;
        }
        if (current != null) {
            current.channels--;
            RedisConnection old = current.current();
            if (old != null) {
                old.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).onFailure(failure -> { });
            }
        }
        Node node = nodes.computeIfAbsent(endpoint, this::open);
        placed.put(channel, node);
        node.channels++;
        RedisConnection connection = node.current();
        if (connection != null) {
            node.subscribe(connection, List.of(channel));
        }
        return node;
    }

    private Node open(String endpoint) {
        Node node = new Node(STANDALONE.equals(endpoint) ? standalone : nodeClients.apply(endpoint), endpoint);
        node.start();
        return node;
    }

    /** Liveness of every master connection, and the topology read again when due. On the context. */
    private void tick() {
        long now = System.nanoTime();
        for (Node node : nodes.values()) {
            node.checkLiveness(now);
        }
        long sinceRefresh = TimeUnit.NANOSECONDS.toMillis(now - lastRefresh);
        if (sinceRefresh >= REFRESH_SECONDS * 1000L || (unsettled || problem() != null) && sinceRefresh >= 1000) {
            refresh();
        }
    }

    /** Reads the slot owners and moves every channel whose owner changed. On the context. */
    private void refresh() {
        if (closed || refreshing) {
            return;
        }
        lastRefresh = System.nanoTime();
        if (!cluster) {
            owners = new String[] { STANDALONE };
            unsettled = false;
            replaceAll();
            return;
        }
        refreshing = true;
        commands.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).subscribe().with(reply -> context.runOnContext(x -> {
            refreshing = false;
            owners = owners(reply);
            topologyProblem = null;
            unsettled = false;
            replaceAll();
        }), failure -> context.runOnContext(x -> {
            refreshing = false;
            unsettled = true;
            topologyProblem = "sharded subscriber cannot read the cluster's slots: " + failure.getMessage();
        }));
    }

    private void replaceAll() {
        List<CompletableFuture<Void>> moved = new ArrayList<>();
        for (String channel : List.copyOf(wanted)) {
            Node before = placed.get(channel);
            Node after = place(channel);
            boolean wasDisplaced = after != null && displaced.remove(channel);
            if (after != null && (wasDisplaced || before != null && after != before)) {
                moved.add(confirming.computeIfAbsent(channel, c -> new CompletableFuture<>()));
            }
        }
        for (Node node : List.copyOf(nodes.values())) {
            if (node.channels == 0 && !owns(node.endpoint)) {
                nodes.remove(node.endpoint);
                node.close();
            }
        }
        if (!moved.isEmpty()) {
            LOG.infof("Redis sharded subscriber: %d channel(s) moved to another master", moved.size());
            CompletableFuture.allOf(moved.toArray(CompletableFuture[]::new)).thenRun(onMissed);
        }
    }

    private boolean owns(String endpoint) {
        if (owners == null) {
            return false;
        }
        for (String owner : owners) {
            if (endpoint.equals(owner)) {
                return true;
            }
        }
        return false;
    }

    /** Slot to master endpoint, from a {@code CLUSTER SLOTS} reply: {@code [start, end, [host, port, id], ...]}. */
    static String[] owners(Response reply) {
        String[] owners = new String[HashSlot.COUNT];
        for (Response range : reply) {
            Response master = range.get(2);
            String endpoint = master.get(0).toString() + ":" + master.get(1).toInteger();
            for (int slot = range.get(0).toInteger(); slot <= range.get(1).toInteger(); slot++) {
                owners[slot] = endpoint;
            }
        }
        return owners;
    }

    /**
     * Follows a {@code MOVED <slot> <host:port>} answer to {@code SSUBSCRIBE} at once, as a cluster client follows one
     * for a command: the slot's owner is taken from it and the channels still placed on {@code from} are subscribed
     * there (their confirmation, then {@code onMissed}, follow). Returns false when {@code error} is no redirect. On
     * the context.
     */
    private boolean redirected(Node from, List<String> channels, String error) {
        String[] moved = error == null ? new String[0] : error.trim().split(" ");
        if (moved.length != 3 || !"MOVED".equals(moved[0]) || owners == null || !cluster) {
            return false;
        }
        int slot;
        try {
            slot = Integer.parseInt(moved[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        if (slot < 0 || slot >= owners.length || moved[2].equals(from.endpoint)) {
            return false;
        }
        owners[slot] = moved[2];
        List<CompletableFuture<Void>> replaced = new ArrayList<>();
        for (String channel : channels) {
            if (wanted.contains(channel) && placed.get(channel) == from) {
                replaced.add(confirming.computeIfAbsent(channel, c -> new CompletableFuture<>()));
                place(channel);
            } else {
                confirmed(channel);
            }
        }
        if (!replaced.isEmpty()) {
            LOG.infof("Redis sharded subscriber: slot %d answered MOVED to %s; %d channel(s) follow it", slot, moved[2],
                    replaced.size());
            CompletableFuture.allOf(replaced.toArray(CompletableFuture[]::new)).thenRun(onMissed);
        }
        return true;
    }

    private void confirmed(String channel) {
        CompletableFuture<Void> done = confirming.remove(channel);
        if (done != null) {
            done.complete(null);
        }
    }

    /** The sharded subscriber connection to one master. */
    private final class Node extends ReconnectingConnection {

        final String endpoint;
        /** Wanted channels placed on this node. */
        volatile int channels;
        private volatile long lastHeard = System.nanoTime();
        private long pingSent;

        Node(Redis client, String endpoint) {
            super(client, ShardedChannels.this.vertx, "sharded subscriber " + endpoint);
            this.endpoint = endpoint;
        }

        @Override
        protected Future<?> prepare(RedisConnection opened) {
            // The connection was opened on this class's context (a node is made there), so pushes arrive on it.
            opened.handler(this::onPush);
            lastHeard = System.nanoTime();
            pingSent = 0;
            return Future.succeededFuture();
        }

        @Override
        protected void ready(RedisConnection ready) {
            context.runOnContext(x -> {
                List<String> mine = new ArrayList<>();
                placed.forEach((channel, node) -> {
                    if (node == this) {
                        mine.add(channel);
                    }
                });
                CompletableFuture<?>[] confirmations = mine.stream()
                        .map(c -> confirming.computeIfAbsent(c, k -> new CompletableFuture<>()))
                        .toArray(CompletableFuture[]::new);
                CompletableFuture.allOf(confirmations).thenRun(onMissed);
                subscribe(ready, mine);
                LOG.infof("Redis sharded subscriber connected to %s; %d channels", endpoint, mine.size());
            });
        }

        @Override
        protected void dropped(String reason) {
            context.runOnContext(x -> {
                unsettled = true; // the master may have failed over: read the slots again soon
                List.copyOf(placed.entrySet()).stream().filter(e -> e.getValue() == this)
                        .forEach(e -> confirmed(e.getKey()));
            });
        }

        /** {@code SSUBSCRIBE}, one command per slot, at most {@value RedisSubscriber#BATCH} channels each. */
        void subscribe(RedisConnection connection, List<String> channels) {
            Map<Integer, List<String>> bySlot = new TreeMap<>();
            for (String channel : channels) {
                bySlot.computeIfAbsent(cluster ? HashSlot.of(channel) : 0, s -> new ArrayList<>()).add(channel);
            }
            for (List<String> slot : bySlot.values()) {
                for (int from = 0; from < slot.size(); from += RedisSubscriber.BATCH) {
                    List<String> batch = slot.subList(from, Math.min(slot.size(), from + RedisSubscriber.BATCH));
                    Request request = Request.cmd(Command.SSUBSCRIBE);
                    batch.forEach(request::arg);
                    connection.send(request).onFailure(failure -> context.runOnContext(x -> {
                        LOG.debugf("SSUBSCRIBE on %s failed: %s", endpoint, failure.toString());
                        unsettled = true; // the topology is read again within a second, whatever the failure
                        if (!redirected(this, batch, failure.getMessage())) {
                            batch.forEach(ShardedChannels.this::confirmed);
                        }
                    }));
                }
            }
        }

        void checkLiveness(long now) {
            RedisConnection connection = current();
            if (connection == null) {
                return;
            }
            if (pingSent != 0) {
                if (TimeUnit.NANOSECONDS.toMillis(now - pingSent) > commandTimeoutMillis) {
                    pingSent = 0;
                    lost(connection, "no answer to PING within " + commandTimeoutMillis + " ms");
                }
                return;
            }
            if (now - lastHeard >= probeIntervalNanos) {
                pingSent = now;
                connection.send(Request.cmd(Command.PING)).onComplete(answer -> context.runOnContext(x -> {
                    if (answer.succeeded()) {
                        pingSent = 0;
                        lastHeard = System.nanoTime();
                    }
                }));
            }
        }

        private void onPush(Response push) {
            lastHeard = System.nanoTime();
            if (push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI || push.size() < 3) {
                return;
            }
            String kind = push.get(0).toString();
            String channel = push.get(1).toString();
            switch (kind) {
                case "smessage" -> listener.accept(channel, push.get(2).toBuffer());
                case "ssubscribe" -> confirmed(channel);
                case "sunsubscribe" -> {
                    if (wanted.contains(channel) && placed.get(channel) == this) {
                        // Not asked for: the slot moved away or this master became a replica.
                        placed.remove(channel);
                        displaced.add(channel);
                        channels--;
                        unsettled = true;
                        refresh();
                    }
                }
                default -> {
                }
            }
        }
    }
}
