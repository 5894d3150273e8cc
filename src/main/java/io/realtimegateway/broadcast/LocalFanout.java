package io.realtimegateway.broadcast;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.realtimegateway.metrics.GatewayMetrics;
import io.realtimegateway.protocol.Delivery;
import io.realtimegateway.session.ClientSession;
import io.realtimegateway.session.ConnectionRegistry;

/**
 * Writes a delivery to the open local connections of its topic: the last step of every broker. The frame is the
 * same object for every recipient; nothing is encoded here. Non-blocking; each recipient's outbound bound applies
 * separately, so a slow recipient is closed without delaying the others.
 */
@ApplicationScoped
public class LocalFanout {

    @Inject
    ConnectionRegistry registry;

    @Inject
    GatewayMetrics metrics;

    /**
     * @return how many open connections the frame was handed to (a recovering connection may still hold it back until
     *         its replay is sent, or drop it as already replayed)
     */
    public int deliver(Delivery delivery) {
        long start = System.nanoTime();
        int sent = 0;
        String exclude = delivery.excludeConnection();
        for (ClientSession session : registry.recipients(delivery.topic())) {
            if (exclude != null && exclude.equals(session.id())) {
                continue;
            }
            if (session.isOpen()) {
                session.deliver(delivery);
                sent++;
            }
        }
        metrics.fanoutTimer().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return sent;
    }
}
