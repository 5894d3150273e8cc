package io.realtimegateway.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.IdFrame;
import io.realtimegateway.protocol.OutboundFrame;
import io.realtimegateway.redis.RedisKeys;
import io.realtimegateway.redis.RedisLink;
import io.realtimegateway.redis.RedisScript;
import io.realtimegateway.redis.RedisServer;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * History in Redis Streams, for the {@code redis} broker: every instance numbers a topic's messages in one sequence,
 * and any instance can replay them, also after the instance that published them is gone.
 * <p>
 * Per topic, two keys ({@link RedisKeys#history}, with the topic's hash tag, so they share a cluster slot): a stream
 * {@code <prefix>hist:{room:<name>}} whose entries have the id {@code 0-<offset>} and the fields {@code t} (append
 * time, ms) and {@code f} (the frame; for a binary message its JSON header, and {@code p} its payload, bytes
 * stored unchanged), capped at {@code max-messages} ({@code XADD MAXLEN}) and expiring {@code max-age} after the last append; and a hash
 * {@code <prefix>hseq:{room:<name>}} with the epoch {@code e} and the last offset {@code s}, which outlives the stream
 * by {@link #EPOCH_RETENTION}, so that a client that saw the last message of a quiet room is still told it missed
 * nothing. When the hash is gone (expired, Redis restarted without persistence, flushed), the next append starts a new
 * epoch, and ids of the old one are reported as not recovered.
 * <p>
 * On a Redis Cluster, replication to the replica that takes over after a failover is asynchronous, so the promoted
 * master may lack a topic's last appends: the scripts recognise a history last appended to by the master this one
 * replaced (its replication id), report it as not recovered, and its next append starts a new epoch, so no offset is
 * ever given to two messages and no replay skips a lost one silently.
 * <p>
 * Numbering, storing and trimming happen in one Lua script ({@code redis/history-append.lua}), so appends from many
 * instances never interleave. Entries older than {@code max-age} are not replayed. Ordering: appends are sent on one
 * pipelined connection
 * ({@link RedisLink}), so one caller's appends get offsets in call order. Threading: never blocks.
 */
public final class RedisHistory implements MessageHistory {

    /** How much longer than its messages a topic's epoch and counter are kept. */
    static final Duration EPOCH_RETENTION = Duration.ofHours(24);

    static final RedisScript APPEND = RedisScript.load("history-append");
    static final RedisScript SINCE = RedisScript.load("history-since");
    static final RedisScript LAST = RedisScript.load("history-last");

    /** The scripts the history's {@link RedisLink} must load. */
    public static final List<RedisScript> SCRIPTS = List.of(APPEND, SINCE, LAST);

    private final RedisLink link;
    private volatile BiConsumer<Topic, StreamId> lateAppends = (topic, id) -> {
    };
    private final RedisKeys keys;
    private final int maxMessages;
    private final long maxAgeMillis;
    private final LongSupplier clock;
    /** Redis's clock minus this host's, in ms, from the latest append reply; {@code null} before the first. */
    private volatile Long redisClockOffset;

    /**
     * @param link the connection appends and reads go through, loading {@link #SCRIPTS}; started by the caller and
     *        closed by {@link #close()}
     * @param prefix the key prefix shared with the broker's channels, for example {@code gateway:}
     */
    public RedisHistory(RedisLink link, String prefix, int maxMessages, long maxAgeMillis, LongSupplier clock) {
        this.link = link;
        this.keys = new RedisKeys(prefix);
        this.maxMessages = maxMessages;
        this.maxAgeMillis = maxAgeMillis;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String problem() {
        return link.problem();
    }

    /** Closes the history's connection; the history must not be used afterwards. */
    public void close() {
        link.close();
    }

    @Override
    public Uni<Entry> append(Topic topic, IdFrame frame) {
        String candidateEpoch = Long.toString(ThreadLocalRandom.current().nextLong() >>> 24, 36);
        return APPEND.run(link, keys.history(topic), List.of(candidateEpoch, Integer.toString(maxMessages),
                Long.toString(Math.max(1, maxAgeMillis)),
                Long.toString(Math.max(1, maxAgeMillis) + EPOCH_RETENTION.toMillis()),
                Long.toString(clock.getAsLong()), frame.head(), frame.tail(), Long.toString(deadline()), cluster()),
                frame.payload(), late -> {
                    if (late.get(1).toLong() != 0) { // 0: Redis ran it past its deadline and dropped it
                        lateAppends.accept(topic, new StreamId(late.get(0).toString(), late.get(1).toLong()));
                    }
                })
                .map(reply -> {
                    learnClock(reply.get(2).toLong());
                    if (reply.get(1).toLong() == 0) {
                        throw new IllegalStateException("history append ran after its deadline; dropped by Redis");
                    }
                    StreamId id = new StreamId(reply.get(0).toString(), reply.get(1).toLong());
                    return new Entry(id, frame.with(id));
                });
    }

    @Override
    public void onLateAppend(BiConsumer<Topic, StreamId> listener) {
        lateAppends = listener;
    }

    /**
     * The caller's deadline in Redis's clock: an append that Redis runs after it (it was hung) is dropped, since the
     * caller has by then delivered the message with an id of its own and told the publisher it did not go further.
     * It is 90% of the command timeout away, so that the reply of an append Redis accepted just before it still
     * arrives before the caller gives up (the rest covers the reply's way back and the clock estimate's error, a round
     * trip). 0 (no deadline) until Redis's clock is known from a first reply.
     */
    private long deadline() {
        Long offset = redisClockOffset;
        return offset == null ? 0 : System.currentTimeMillis() + offset + link.commandTimeout().toMillis() * 9 / 10;
    }

    /** Keeps how far Redis's clock is from this host's, as of the latest reply (within a round trip). */
    private void learnClock(long redisMillis) {
        redisClockOffset = redisMillis - System.currentTimeMillis();
    }

    /** {@code "1"} on a Redis Cluster, where the scripts watch for a failover that may have lost appends. */
    private String cluster() {
        RedisServer server = link.server();
        return server != null && server.cluster() ? "1" : "0";
    }

    @Override
    public Uni<Replay> since(Topic topic, StreamId since) {
        return SINCE.run(link, keys.history(topic), List.of(since.epoch(), Long.toString(since.offset()), cluster()))
                .map(reply -> replay(since, reply));
    }

    @Override
    public Uni<List<Entry>> last(Topic topic, int count) {
        return LAST.run(link, keys.history(topic), List.of(Integer.toString(count))).map(reply -> {
            if (reply == null || reply.size() < 2) {
                return List.of();
            }
            List<Entry> entries = entries(reply.get(0).toString(), reply.get(1));
            Collections.reverse(entries); // XREVRANGE gives the newest first
            return entries;
        });
    }

    @Override
    public Uni<StreamId> newest(Topic topic) {
        Request read = Request.cmd(Command.HMGET).arg(keys.history(topic).get(1)).arg("e").arg("s");
        return link.send(read).map(reply -> reply == null || reply.get(0) == null || reply.get(1) == null ? null
                : new StreamId(reply.get(0).toString(), reply.get(1).toLong()));
    }

    private Replay replay(StreamId since, Response reply) {
        if (reply == null || reply.size() < 3) {
            return new Replay(List.of(), false);
        }
        String epoch = reply.get(0).toString();
        long last = reply.get(1).toLong();
        List<Entry> entries = entries(epoch, reply.get(2));
        boolean sameEpoch = epoch.equals(since.epoch()) && since.offset() <= last;
        long oldestRetained = entries.isEmpty() ? last + 1 : entries.get(0).id().offset();
        return new Replay(entries, sameEpoch && oldestRetained <= since.offset() + 1);
    }

    /** The stream entries of a reply, in the reply's order, without those older than the age limit. */
    private List<Entry> entries(String epoch, Response items) {
        long oldestFresh = clock.getAsLong() - maxAgeMillis;
        List<Entry> entries = new ArrayList<>();
        for (Response item : items) {
            Response fields = item.get(1);
            if (field(fields, "t").toLong() < oldestFresh) {
                continue;
            }
            String id = item.get(0).toString();
            long offset = Long.parseLong(id.substring(id.indexOf('-') + 1));
            Response payload = optionalField(fields, "p");
            String text = field(fields, "f").toString();
            StreamId position = new StreamId(epoch, offset);
            String eventId = position.toString();
            entries.add(new Entry(position, payload == null ? OutboundFrame.of(text, eventId)
                    : OutboundFrame.binaryMessage(text, payload.toBytes(), eventId)));
        }
        return entries;
    }

    private static Response field(Response fields, String name) {
        Response value = optionalField(fields, name);
        if (value == null) {
            throw new IllegalStateException("history entry without field " + name);
        }
        return value;
    }

    private static Response optionalField(Response fields, String name) {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (name.equals(fields.get(i).toString())) {
                return fields.get(i + 1);
            }
        }
        return null;
    }
}
