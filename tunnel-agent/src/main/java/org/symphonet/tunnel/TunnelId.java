package org.symphonet.tunnel;

import java.util.Objects;

/** Names one tunnel in events and logs: which overlay, which two nodes. */
public record TunnelId(String overlayId, NodeId local, NodeId peer) {
    public TunnelId {
        Objects.requireNonNull(overlayId, "overlay id");
        Objects.requireNonNull(local, "local node id");
        Objects.requireNonNull(peer, "peer node id");
        if (overlayId.isBlank()) {
            throw new IllegalArgumentException("overlay id is blank");
        }
        if (local.equals(peer)) {
            throw new IllegalArgumentException("a tunnel needs two different nodes: " + local);
        }
    }

    /** DESIGN.md §4: the smaller node ID plays DTLS client, so both ends agree without a message. */
    public boolean localIsDtlsClient() {
        return local.compareTo(peer) < 0;
    }

    @Override
    public String toString() {
        return overlayId + "/" + peer.hex().substring(0, 8);
    }
}
