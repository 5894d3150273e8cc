package io.realtimegateway.upgrade;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.realtimegateway.transport.TransportSetup;
import io.smallrye.mutiny.Uni;

/**
 * The last upgrade check: hands an upgrade every other check admitted to the transport ({@link TransportSetup}). Not
 * for the event streams of the HTTP fallback, whose connection stays HTTP ({@link EventStreams} starts their transport).
 */
@ApplicationScoped
@Priority(UpgradeCheckOrder.TRANSPORT)
public class TransportCheck implements HttpUpgradeCheck {

    @Inject
    TransportSetup transport;

    @Override
    public boolean appliesTo(String endpointId) {
        return !EventStreams.isEventStream(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        transport.prepare(context.httpRequest(), context.userData());
        return CheckResult.permitUpgrade();
    }
}
