package org.symphonet.overlay.signal;

import java.util.Optional;

/** The {@code kind} of a signaling body (DESIGN.md §3). */
public enum SignalKind {
    LINK_REQUEST("link-request"),
    LINK_ACCEPT("link-accept"),
    LINK_REJECT("link-reject"),
    LINK_CLOSE("link-close"),
    LINK_WANT("link-want");

    private final String wire;

    SignalKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<SignalKind> fromWire(String s) {
        for (SignalKind k : values()) {
            if (k.wire.equals(s)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
