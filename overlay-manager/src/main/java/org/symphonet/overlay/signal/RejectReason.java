package org.symphonet.overlay.signal;

import java.util.Optional;

/** Why a link-request was refused. */
public enum RejectReason {
    /** Over max-links. */
    BUSY("busy"),
    /** The responder does not serve the overlay named in the request. */
    UNKNOWN_OVERLAY("unknown-overlay"),
    /** Both sides asked at once and the responder's own request wins (smaller node ID). */
    DUPLICATE("duplicate"),
    /** The requester is not a mutual roster contact, or its node ID does not match its presence. */
    NOT_TRUSTED("not-trusted"),
    /** The responder could not set up its side (ICE, TAP, OVS). */
    TUNNEL_FAILED("tunnel-failed"),
    /** The responder is stopping. */
    SHUTTING_DOWN("shutting-down");

    private final String wire;

    RejectReason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<RejectReason> fromWire(String s) {
        for (RejectReason r : values()) {
            if (r.wire.equals(s)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
