package io.realtimegateway.recovery;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.realtimegateway.broadcast.Broker;
import io.realtimegateway.history.MessageHistory;
import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.session.ClientSession;

/**
 * Brings a connection that comes back with {@code since} up to date on a topic, with no gap and no duplicate at the
 * seam between what it missed and live traffic:
 * <ol>
 * <li>live messages of the topic are held back for this connection ({@code RecoveryCursors#begin});</li>
 * <li>the connection joins the topic and, once the broker delivers the topic here ({@code Broker#subscribed}),
 * nothing published from then on can pass it by;</li>
 * <li>only then is the history after {@code since} read and sent, oldest first, as fast as the client reads it
 * ({@code ClientSession#sendPaced}), so every message is either in the replay or arrives live (or both);</li>
 * <li>the held live messages that are not in the replay are released, and later copies of replayed messages
 * dropped.</li>
 * </ol>
 * A history that cannot be read (for example Redis is down) counts as not recovered: live traffic flows, and the
 * client is told {@code recovered: false}. Non-blocking.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    @Inject
    MessageHistory history;

    @Inject
    Broker broker;

    /**
     * @param subscribe adds the connection to the topic (step 2)
     * @param done told whether the replay will be complete, before the replay is sent: the client learns
     *        {@code recovered} first, then gets the replay, then the held live messages and live traffic
     */
    public void join(ClientSession session, Topic topic, StreamId since, Runnable subscribe, Consumer<Boolean> done) {
        session.cursors().begin(topic);
        subscribe.run();
        broker.subscribed(topic).flatMap(ready -> history.since(topic, since)).subscribe().with(replay -> {
            done.accept(replay.recovered());
            session.sendPaced(replay.entries().stream().map(entry -> entry.frame()).iterator(),
                    () -> session.cursors().finish(topic, replay.last(), delivery -> session.send(delivery.frame())));
        }, failure -> {
            LOG.debugf("history of %s unreadable for %s: %s", topic, session, failure.toString());
            done.accept(false);
            session.cursors().finish(topic, null, delivery -> session.send(delivery.frame()));
        });
    }
}
