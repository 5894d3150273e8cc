package io.realtimegateway.transport;

import java.time.Duration;

import io.realtimegateway.config.GatewayConfig;

/**
 * The outbound limits {@link OutboundFlow} and {@link ChannelFrameWriter} apply to every connection; see
 * {@link GatewayConfig.Outbound} for what each means.
 */
record FlowLimits(long maxQueuedBytes, long maxStallNanos, long closeTimeoutNanos) {

    static FlowLimits of(GatewayConfig.Outbound config) {
        return new FlowLimits(config.maxQueuedBytes(), nanos(config.maxStall()), nanos(config.closeTimeout()));
    }

    private static long nanos(Duration duration) {
        return Math.max(1, duration.toNanos());
    }
}
