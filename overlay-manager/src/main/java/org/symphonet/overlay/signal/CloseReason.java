package org.symphonet.overlay.signal;

import java.util.Optional;

/** Why a link is going away; for the peer's log line and counters. */
public enum CloseReason {
    /** The topology no longer wants it. */
    UNWANTED("unwanted"),
    /** The tunnel failed or its negotiation timed out. */
    TUNNEL_FAILED("tunnel-failed"),
    /** A newer link to the same peer replaces it. */
    REPLACED("replaced"),
    /** The node is stopping. */
    SHUTDOWN("shutdown");

    private final String wire;

    CloseReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<CloseReason> fromWire(String s) {
        for (CloseReason r : values()) {
            if (r.wire.equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
