package org.symphonet.tunnel;

import java.util.Objects;

/**
 * What the overlay manager knows when it starts a tunnel: who, which overlay,
 * which bridge the TAP joins.
 */
public record TunnelRequest(TunnelId id, String bridge) {
    public TunnelRequest {
        Objects.requireNonNull(id, "tunnel id");
        Objects.requireNonNull(bridge, "bridge");
        if (!bridge.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("bad bridge name: " + bridge);
        }
    }

    public static TunnelRequest of(String overlayId, String localHex, String peerHex, String bridge) {
        return new TunnelRequest(new TunnelId(overlayId, NodeId.of(localHex), NodeId.of(peerHex)), bridge);
    }
}
