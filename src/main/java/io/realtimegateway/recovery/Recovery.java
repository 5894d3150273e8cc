package io.realtimegateway.recovery;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.config.GatewayConfig;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.history.MessageHistory.Replay;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.session.ClientSession;
import io.smallrye.mutiny.Uni;

/**
 * Brings a connection up to date on a topic as it joins, with no gap and no duplicate at the seam between what the
 * history holds and live traffic: a comeback with {@code since} gets what it missed, a join with {@code rewind} the
 * newest messages. Both go the same way:
 * <ol>
 * <li>live messages of the topic are held back for this connection ({@code RecoveryCursors#begin});</li>
 * <li>the connection joins the topic and, once the broker delivers the topic here ({@code Broker#subscribed}),
 * nothing published from then on can pass it by;</li>
 * <li>only then is the history read, and sent oldest first, as fast as the client reads it
 * ({@code ClientSession#sendPaced}), so every message is either in the replay or arrives live (or both);</li>
 * <li>the held live messages that are not in the replay are released, and later copies of replayed messages
 * dropped.</li>
 * </ol>
 * Concurrent reads of the same topic with the same {@code since} (or the same {@code rewind}) are merged
 * ({@link SingleFlight}): a read is shared only by connections that joined the topic before it started, so step 3
 * holds for each of them; one that joined later waits for the next read. Nothing is cached after a read.
 * <p>
 * A replay longer than {@code gateway.history.max-replay} is not sent at all: the client is told
 * {@code recovered: false} and reloads, as when the history no longer reaches back. A history that cannot be read
 * (for example Redis is down) counts as not recovered (a rewind as empty): live traffic flows. Non-blocking.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    /** What makes two reads the same: the topic and either {@code since} or the {@code rewind} count. */
    private record Read(Topic topic, StreamId since, int rewind) {
    }

    @Inject
    MessageHistory history;

    @Inject
    Broker broker;

    @Inject
    GatewayConfig config;

    private final SingleFlight<Read, Replay> reads = new SingleFlight<>();

    /**
     * A comeback with {@code since}.
     *
     * @param subscribe adds the connection to the topic (step 2)
     * @param done told whether the replay will be complete, before the replay is sent: the client learns
     *        {@code recovered} first, then gets the replay, then the held live messages and live traffic
     */
    public void join(ClientSession session, Topic topic, StreamId since, Runnable subscribe, Consumer<Boolean> done) {
        int max = config.history().maxReplay();
        replay(session, topic, subscribe, new Read(topic, since, 0), () -> history.since(topic, since),
                replay -> replay.entries().size() > max ? new Replay(List.of(), false) : replay,
                replay -> done.accept(replay.recovered()), () -> done.accept(false));
    }

    /**
     * A join with {@code rewind}: the newest {@code count} retained messages (at most
     * {@code gateway.history.max-replay}), then live ones.
     *
     * @param subscribe adds the connection to the topic (step 2)
     * @param done told how many messages the rewind sends, before they are sent (0 when the history cannot be read)
     */
    public void rewind(ClientSession session, Topic topic, int count, Runnable subscribe, Consumer<Integer> done) {
        int capped = Math.min(count, config.history().maxReplay());
        replay(session, topic, subscribe, new Read(topic, null, capped),
                () -> history.last(topic, capped).map(entries -> new Replay(entries, true)), replay -> replay,
                replay -> done.accept(replay.entries().size()), () -> done.accept(0));
    }

    private void replay(ClientSession session, Topic topic, Runnable subscribe, Read key, Supplier<Uni<Replay>> read,
            UnaryOperator<Replay> cap, Consumer<Replay> announce, Runnable unreadable) {
        session.cursors().begin(topic);
        subscribe.run();
        long member = reads.ticket();
        broker.subscribed(topic).flatMap(ready -> reads.read(key, member, read)).subscribe().with(shared -> {
            Replay replay = cap.apply(shared);
            announce.accept(replay);
            session.sendPaced(replay.entries().stream().map(entry -> entry.frame()).iterator(),
                    () -> session.cursors().finish(topic, replay.last(), delivery -> session.send(delivery.frame())));
        }, failure -> {
            LOG.debugf("history of %s unreadable for %s: %s", topic, session, failure.toString());
            unreadable.run();
            session.cursors().finish(topic, null, delivery -> session.send(delivery.frame()));
        });
    }
}
