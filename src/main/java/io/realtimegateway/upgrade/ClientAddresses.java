package io.realtimegateway.upgrade;

import java.util.List;

/**
 * The address of the client behind an upgrade: the socket's peer, or, only when that peer is a trusted proxy
 * ({@code gateway.trusted-proxies}), the nearest untrusted address in {@code X-Forwarded-For} (read from the right,
 * since every proxy appends the address it saw). A client cannot choose its address by sending the header itself.
 * Immutable; pure.
 */
public final class ClientAddresses {

    private final List<IpRange> trusted;

    public ClientAddresses(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(IpRange::parse).toList();
    }

    public String clientOf(String peer, String forwardedFor) {
        if (!isTrusted(peer) || forwardedFor == null || forwardedFor.isBlank()) {
            return peer;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !isTrusted(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private boolean isTrusted(String address) {
        for (IpRange range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
