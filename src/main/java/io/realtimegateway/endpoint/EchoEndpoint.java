package io.realtimegateway.endpoint;

import jakarta.inject.Inject;

import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.WebSocket;
import io.realtimegateway.echo.EchoService;
import io.realtimegateway.message.Endpoint;
import io.realtimegateway.upgrade.EchoUpgradeCheck;

/**
 * {@code /ws/echo}: every text and binary message comes back unchanged ({@link EchoService}), for the
 * Autobahn|Testsuite (docs/conformance.md). Served only with {@code gateway.echo.enabled=true}: its
 * {@code endpointId} is the one {@link EchoUpgradeCheck} refuses otherwise. The upgrade checks, limits, frame writer
 * and frame-error handling are those of {@code /ws/chat}; the callbacks are those of the base.
 */
@WebSocket(path = "/ws/echo", endpointId = Endpoint.ECHO_ID, inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class EchoEndpoint extends SessionEndpoint {

    @Inject
    EchoEndpoint(EchoService echo) {
        super(echo);
    }
}
