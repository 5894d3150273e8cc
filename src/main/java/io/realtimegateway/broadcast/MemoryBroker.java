package io.realtimegateway.broadcast;

import io.realtimegateway.protocol.Delivery;
import io.smallrye.mutiny.Uni;

/**
 * The single-instance broker: a publish is fanned out to local connections at once, on the caller's thread. It needs
 * no server and never fails to accept a message.
 */
public final class MemoryBroker implements Broker {

    private final LocalFanout fanout;

    public MemoryBroker(LocalFanout fanout) {
        this.fanout = fanout;
    }

    @Override
    public Uni<Void> publish(Delivery delivery) {
        fanout.deliver(delivery);
        return Uni.createFrom().voidItem();
    }

    @Override
    public String name() {
        return "memory";
    }
}
