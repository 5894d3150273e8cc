package io.realtimegateway.session;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;

import io.realtimegateway.message.StreamId;
import io.realtimegateway.message.Topic;
import io.realtimegateway.protocol.Delivery;

/**
 * Makes the seam between a history replay and live traffic exact for one connection: while a topic is being
 * recovered, its live messages are held back; when the replay has been sent, the held messages that the replay did
 * not contain (newer than its last id, or of another epoch) are released in arrival order, and from then on a live
 * message that the replay already contained is dropped. Nothing else is ever dropped, so messages of several
 * publishers that cross Redis in a different order than their ids are all delivered. The client sees each message
 * once, with no gap.
 * <p>
 * Only topics joined with {@code since} have a cursor; others pass straight through. Threading: {@link #begin} runs on
 * the connection's event loop before the connection joins the topic; {@link #offer}, {@link #finish} (the recovery's
 * completion, on the event loop after a replay, on the history's thread when it could not be read) and
 * {@link #forget} may run on any thread. Each cursor is guarded by its own monitor, held while a frame is queued
 * (never blocking).
 */
public final class RecoveryCursors {

    /** The most live messages held back for one topic while its replay is read; more closes as a slow consumer. */
    public static final int MAX_HELD = 10_000;

    private static final class Cursor {
        /** The newest replayed id; live messages at or below it in its epoch were replayed. */
        StreamId replayed;
        ArrayDeque<Delivery> held = new ArrayDeque<>();

        boolean replayed(StreamId position) {
            return replayed != null && position != null && replayed.epoch().equals(position.epoch())
                    && position.offset() <= replayed.offset();
        }
    }

    /** Made at the first recovery (most connections never recover), and kept; empty is {@link #NONE}. */
    private volatile ConcurrentMap<Topic, Cursor> cursors = NONE;

    private static final ConcurrentMap<Topic, Cursor> NONE = new ConcurrentHashMap<>(1);

    /** Starts holding back live messages of a topic. Call before the connection is added to the topic. */
    public void begin(Topic topic) {
        ConcurrentMap<Topic, Cursor> map = cursors;
        if (map == NONE) {
            synchronized (this) {
                map = cursors;
                if (map == NONE) {
                    cursors = map = new ConcurrentHashMap<>(4);
                }
            }
        }
        map.put(topic, new Cursor());
    }

    /**
     * Ends the recovery of a topic: records the newest replayed id and sends, through {@code sink}, the held live
     * messages the replay did not contain, in arrival order. Live messages that arrive meanwhile wait for this to
     * finish, so none can overtake a released one.
     *
     * @param last the id of the newest message replayed, or {@code null} when nothing was replayed
     */
    public void finish(Topic topic, StreamId last, Consumer<Delivery> sink) {
        Cursor cursor = cursors.get(topic);
        if (cursor == null) {
            return;
        }
        synchronized (cursor) {
            cursor.replayed = last;
            ArrayDeque<Delivery> held = cursor.held;
            cursor.held = null;
            if (held != null) {
                for (Delivery delivery : held) {
                    if (!cursor.replayed(delivery.position())) {
                        sink.accept(delivery);
                    }
                }
            }
        }
    }

    /** Forgets a topic (the connection left it). */
    public void forget(Topic topic) {
        cursors.remove(topic);
    }

    /**
     * Offers a live message: sends it through {@code sink} now, holds it back while its topic is being recovered, or
     * drops it when the replay already sent it.
     *
     * @return {@code false} when too many messages are held back ({@value #MAX_HELD}): the caller closes the
     *         connection as a slow consumer
     */
    public boolean offer(Delivery delivery, Consumer<Delivery> sink) {
        Cursor cursor = cursors.isEmpty() || delivery.position() == null ? null : cursors.get(delivery.topic());
        if (cursor == null) {
            sink.accept(delivery);
            return true;
        }
        synchronized (cursor) {
            if (cursor.held != null) {
                if (cursor.held.size() >= MAX_HELD) {
                    return false;
                }
                cursor.held.addLast(delivery);
            } else if (!cursor.replayed(delivery.position())) {
                sink.accept(delivery);
            }
            return true;
        }
    }
}
